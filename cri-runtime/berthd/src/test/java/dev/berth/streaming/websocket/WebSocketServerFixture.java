package dev.berth.streaming.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.streaming.StreamBackends;
import dev.berth.streaming.StreamRequest;
import dev.berth.streaming.StreamTokens;
import dev.berth.streaming.StreamingServer;
import dev.berth.streaming.StreamingSettings;
import dev.berth.testing.WebSocketStreamClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * A streaming server with only the WebSocket protocol, over {@link TestBackends}, and a client for it. Closing
 * it checks that every connection is gone: the process has no more sockets open than before (other descriptors
 * are not counted: the JDK keeps its virtual-thread pollers and the class loader its jars once opened).
 */
final class WebSocketServerFixture implements AutoCloseable {

    final TestBackends backends = new TestBackends();
    final WebSocketStreamClient client = new WebSocketStreamClient();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final StreamingServer server;
    private final long descriptorsBefore;

    WebSocketServerFixture() throws IOException {
        descriptorsBefore = openDescriptors();
        StreamBackends streamBackends = new StreamBackends(backends, backends, executor, StreamingSettings.loopback());
        server = new StreamingServer(
                StreamingSettings.loopback(),
                new StreamTokens(Clock.systemUTC()),
                List.of(new WebSocketProtocol(streamBackends)));
        server.start();
    }

    URI url(StreamRequest request) throws Exception {
        return server.url(request);
    }

    static StreamRequest.Exec exec(StreamRequest.Channels channels, String... command) {
        return new StreamRequest.Exec("ctr-1", List.of(command), channels);
    }

    static StreamRequest.Channels stdio() {
        return new StreamRequest.Channels(true, true, true, false);
    }

    @Override
    public void close() throws Exception {
        client.close();
        server.close();
        executor.shutdownNow();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (openDescriptors() > descriptorsBefore && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(openDescriptors())
                .as("sockets after the test: %s", descriptors())
                .isLessThanOrEqualTo(descriptorsBefore);
    }

    private static long openDescriptors() throws IOException {
        return descriptors().size();
    }

    private static List<String> descriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(WebSocketServerFixture::target)
                    .filter(t -> t.startsWith("socket:"))
                    .toList();
        }
    }

    private static String target(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
            return ""; // closed meanwhile (or the listing's own descriptor)
        }
    }
}
