package dev.berth.stats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A pod's interface counters, read through {@code /proc/<pid>/net/dev} of any process inside its network
 * namespace: the file shows the reader's view of the namespace of that process, no setns needed.
 */
public final class NetworkCounters {

    private final Path proc;

    public NetworkCounters(Path proc) {
        this.proc = proc;
    }

    public List<InterfaceUsage> read(int pidInNamespace) throws IOException {
        List<InterfaceUsage> result = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(
                    proc.resolve(Integer.toString(pidInNamespace)).resolve("net/dev"));
        } catch (NoSuchFileException e) {
            return result;
        }
        for (String line : lines.subList(Math.min(2, lines.size()), lines.size())) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).strip();
            String[] fields = line.substring(colon + 1).strip().split("\\s+");
            if (name.equals("lo") || fields.length < 11) {
                continue;
            }
            result.add(new InterfaceUsage(
                    name,
                    Long.parseLong(fields[0]),
                    Long.parseLong(fields[2]),
                    Long.parseLong(fields[8]),
                    Long.parseLong(fields[10])));
        }
        return result;
    }
}
