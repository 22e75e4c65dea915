package dev.berth.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** What the kernel says of TCP connections to a streaming server: none may outlive the stream that owned it. */
public final class StreamingConnections {

    private StreamingConnections() {}

    /** Waits until no connection to or from {@code port} is ESTABLISHED or CLOSE_WAIT; fails after {@code wait}. */
    public static void awaitNone(int port, Duration wait) throws IOException, InterruptedException {
        String hexPort = String.format(":%04X", port);
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            List<String> open = Files.readAllLines(Path.of("/proc/net/tcp")).stream()
                    .skip(1)
                    .map(String::strip)
                    .map(line -> line.split("\\s+"))
                    .filter(f -> (f[1].endsWith(hexPort) || f[2].endsWith(hexPort))
                            && (f[3].equals("01") || f[3].equals("08")))
                    .map(f -> f[1] + " " + f[2] + " " + f[3])
                    .toList();
            if (open.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("streaming connections left open: " + open);
            }
            Thread.sleep(50);
        }
    }
}
