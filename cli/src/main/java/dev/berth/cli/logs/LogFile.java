package dev.berth.cli.logs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Reads a container's CRI log file, and follows it as kubelet rotates it: kubelet renames the file, asks the
 * runtime to reopen it (ReopenContainerLog), and the runtime's monitor writes a new file at the same path. A
 * follower reads the old file to its end, then the new one from its start.
 */
public final class LogFile {

    /**
     * How long a follower waits for more, at first and at most: a short-lived container (run --rm IMAGE true) has
     * exited by the first few polls, and a long-lived one costs the runtime ten status calls a second at most.
     */
    private static final long FIRST_POLL_MILLIS = 10;

    private static final long POLL_MILLIS = 100;

    private final Path path;

    public LogFile(Path path) {
        this.path = path;
    }

    /** Prints the entries there now; with {@code tail} ≥ 0 only the last that many lines. */
    public void print(LogPrinter printer, int tail) throws IOException {
        List<LogEntry> entries = new ArrayList<>();
        if (Files.exists(path)) {
            Splitter splitter = new Splitter();
            splitter.feed(Files.readAllBytes(path), entries);
        }
        for (LogEntry entry : tail < 0 ? entries : lastLines(entries, tail)) {
            printer.print(entry);
        }
        printer.flush();
    }

    /**
     * Prints what is there (the last {@code tail} lines, all when negative), then what comes, until {@code
     * running} turns false and the file has been read to its end.
     */
    public void follow(LogPrinter printer, int tail, BooleanSupplier running) throws IOException, InterruptedException {
        Splitter splitter = new Splitter();
        FileChannel channel = open();
        Object key = channel == null ? null : fileKey();
        List<LogEntry> entries = new ArrayList<>();
        if (channel != null) {
            readAvailable(channel, splitter, entries);
            for (LogEntry entry : tail < 0 ? entries : lastLines(entries, tail)) {
                printer.print(entry);
            }
            printer.flush();
        }
        long pause = FIRST_POLL_MILLIS;
        try {
            while (true) {
                boolean stillRunning = running.getAsBoolean();
                entries.clear();
                if (channel != null) {
                    readAvailable(channel, splitter, entries);
                }
                for (LogEntry entry : entries) {
                    printer.print(entry);
                }
                printer.flush();
                Object current = fileKey();
                boolean rotated = current != null && !current.equals(key);
                boolean truncated = channel != null && current != null && channel.size() < channel.position();
                if (rotated || truncated || (channel == null && current != null)) {
                    if (channel != null) {
                        // what the monitor wrote to the old file between the read above and its reopen
                        entries.clear();
                        readAvailable(channel, splitter, entries);
                        for (LogEntry entry : entries) {
                            printer.print(entry);
                        }
                        channel.close();
                    }
                    channel = open();
                    key = current;
                    splitter = new Splitter();
                    continue;
                }
                if (!stillRunning) {
                    return;
                }
                Thread.sleep(pause);
                pause = Math.min(POLL_MILLIS, pause * 2);
            }
        } finally {
            if (channel != null) {
                channel.close();
            }
        }
    }

    private FileChannel open() throws IOException {
        try {
            return FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private Object fileKey() {
        try {
            return Objects.requireNonNullElse(
                    Files.readAttributes(path, BasicFileAttributes.class).fileKey(), path);
        } catch (IOException e) {
            return null;
        }
    }

    private static void readAvailable(FileChannel channel, Splitter splitter, List<LogEntry> into) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        while (channel.read(buffer) > 0) {
            buffer.flip();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            splitter.feed(bytes, into);
            buffer.clear();
        }
    }

    /** The entries of the last {@code n} lines, a line being partial entries up to a full one. */
    private static List<LogEntry> lastLines(List<LogEntry> entries, int n) {
        Deque<LogEntry> kept = new ArrayDeque<>();
        int lines = 0;
        for (int i = entries.size() - 1; i >= 0; i--) {
            LogEntry entry = entries.get(i);
            if (!entry.partial()) {
                if (lines == n) {
                    break;
                }
                lines++;
            }
            kept.addFirst(entry);
        }
        return new ArrayList<>(kept);
    }

    /** Cuts bytes into lines; an unfinished last line waits for the rest. */
    private static final class Splitter {
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        void feed(byte[] bytes, List<LogEntry> into) {
            int start = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    if (pending.size() > 0) {
                        pending.write(bytes, start, i - start);
                        byte[] line = pending.toByteArray();
                        pending.reset();
                        LogEntry.parse(line, 0, line.length).ifPresent(into::add);
                    } else {
                        LogEntry.parse(bytes, start, i).ifPresent(into::add);
                    }
                    start = i + 1;
                }
            }
            pending.write(bytes, start, bytes.length - start);
        }
    }
}
