package dev.berth.streaming.spdy;

import dev.berth.streaming.StreamBackends;
import dev.berth.streaming.StreamRequest;
import dev.berth.streaming.StreamTokens;
import dev.berth.streaming.StreamingServer;
import dev.berth.streaming.StreamingSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A streaming server on 127.0.0.1 with only the SPDY protocol and {@link FakeBackends} behind it. */
final class SpdyTestServer implements AutoCloseable {

    static final Duration STREAM_CREATION_TIMEOUT = Duration.ofSeconds(2);

    final FakeBackends backends = new FakeBackends();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final StreamingServer server;

    SpdyTestServer() throws IOException {
        this(StreamingSettings.DEFAULT_IDLE_TIMEOUT);
    }

    SpdyTestServer(Duration idleTimeout) throws IOException {
        StreamingSettings settings =
                new StreamingSettings("127.0.0.1", 0, null, null, idleTimeout, STREAM_CREATION_TIMEOUT);
        StreamBackends streamBackends = new StreamBackends(backends, backends, executor, settings);
        server = new StreamingServer(
                settings, new StreamTokens(Clock.systemUTC()), List.of(new SpdyProtocol(streamBackends)));
        server.start();
    }

    URI url(StreamRequest request) throws Exception {
        return server.url(request);
    }

    URI exec(StreamRequest.Channels channels, String... command) throws Exception {
        return url(new StreamRequest.Exec("c0ffee", List.of(command), channels));
    }

    int port() {
        return server.base().getPort();
    }

    /** TCP connections to the server still open, as the kernel lists them (ESTABLISHED or CLOSE_WAIT). */
    long openConnections() throws IOException {
        String local = String.format(":%04X ", port());
        return Files.readAllLines(Path.of("/proc/net/tcp")).stream()
                .skip(1)
                .map(String::trim)
                .map(line -> line.split("\\s+"))
                .filter(f -> f[1].endsWith(local.strip()) && (f[3].equals("01") || f[3].equals("08")))
                .count();
    }

    interface Check {
        void run() throws Exception;
    }

    /** Retries {@code check} until it passes or {@code limit} is up (then its last failure is thrown). */
    static void eventually(Duration limit, Check check) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                check.run();
                return;
            } catch (AssertionError | Exception e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    @Override
    public void close() {
        server.close();
        executor.shutdownNow();
    }
}
