package dev.berth.cgroup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes cgroupfs control files. The kernel parses each write(2) as one whole value, so a value
 * goes out in a single write on a file opened without O_CREAT: a missing control file (controller not
 * mounted or not enabled) is an error, not a new regular file.
 */
final class CgroupFiles {

    private CgroupFiles() {}

    static void write(Path file, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel =
                FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            int written = channel.write(ByteBuffer.wrap(bytes));
            if (written != bytes.length) {
                throw new IOException("short write (" + written + " of " + bytes.length + " bytes)");
            }
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(
                    file.toString(),
                    null,
                    "cannot write '" + value + "': no such control file (controller not mounted or not enabled?)");
        } catch (FileSystemException e) {
            throw new IOException("cannot write '" + value + "' to " + file + ": " + e.getReason(), e);
        } catch (IOException e) {
            throw new IOException("cannot write '" + value + "' to " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean isGone(IOException e) {
        String reason = e instanceof java.nio.file.FileSystemException fs ? fs.getReason() : e.getMessage();
        return "No such device".equals(reason);
    }

    static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
    }

    /** A single-number file; "max" (v2 for unlimited) reads as -1. Missing file reads as 0. */
    static long readLongOrZero(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        String value = read(file);
        if (value.equals("max")) {
            return -1;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IOException("unexpected content in " + file + ": '" + value + "'");
        }
    }

    /** "key value" lines (memory.stat, cpu.stat, memory.events, memory.oom_control). Missing file reads as empty. */
    static Map<String, Long> readKeyed(Path file) throws IOException {
        Map<String, Long> values = new HashMap<>();
        if (!Files.exists(file)) {
            return values;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] parts = line.strip().split("\\s+");
            if (parts.length == 2) {
                try {
                    values.put(parts[0], Long.parseLong(parts[1]));
                } catch (NumberFormatException e) {
                    // a non-numeric entry is not a counter; nothing here reads it
                }
            }
        }
        return values;
    }

    /** cgroup.procs of one directory; a directory removed meanwhile has no processes. */
    static List<Integer> readProcs(Path dir) throws IOException {
        List<Integer> pids = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(dir.resolve("cgroup.procs"), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return pids;
        } catch (IOException e) {
            // a cgroup being torn down by someone else (runc delete) answers ENODEV, at open or at read: it holds
            // nothing any more
            if (isGone(e)) {
                return pids;
            }
            throw e;
        }
        for (String line : lines) {
            if (!line.isBlank()) {
                pids.add(Integer.parseInt(line.strip()));
            }
        }
        return pids;
    }
}
