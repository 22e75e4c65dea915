package dev.berth.e2e.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Resident set size from /proc, in KiB. */
final class Rss {

    private Rss() {}

    static long ofPid(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS for pid " + pid);
    }

    /** The summed RSS of {@code processes}; one that exited meanwhile counts nothing. */
    static long sumOf(Stream<ProcessHandle> processes) {
        return processes
                .mapToLong(p -> {
                    try {
                        return ofPid(p.pid());
                    } catch (IOException e) {
                        return 0;
                    }
                })
                .sum();
    }
}
