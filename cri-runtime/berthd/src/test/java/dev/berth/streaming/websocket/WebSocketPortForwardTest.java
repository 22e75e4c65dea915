package dev.berth.streaming.websocket;

import static dev.berth.testing.WebSocketStreamClient.V4;
import static dev.berth.testing.WebSocketStreamClient.V4_BASE64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.streaming.StreamRequest;
import dev.berth.testing.PortForwardSocket;
import dev.berth.testing.WebSocketStreamClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebSocketPortForwardTest {

    private WebSocketServerFixture fixture;
    private ServerSocket pod;
    private final CompletableFuture<Void> podSawEnd = new CompletableFuture<>();

    @BeforeEach
    void start() throws Exception {
        fixture = new WebSocketServerFixture();
        pod = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() throws Exception {
        pod.close();
        fixture.close();
    }

    /** The "pod": echoes each connection until the client's end, then closes it. */
    private void echo() {
        serve(socket -> {
            socket.getInputStream().transferTo(socket.getOutputStream());
            podSawEnd.complete(null);
        });
    }

    private interface Connection {
        void handle(Socket socket) throws IOException;
    }

    private void serve(Connection connection) {
        Thread.ofVirtual().start(() -> {
            while (!pod.isClosed()) {
                try (Socket socket = pod.accept()) {
                    connection.handle(socket);
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private URI forward(int... ports) throws Exception {
        return fixture.url(new StreamRequest.PortForward(
                "pod-1", java.util.Arrays.stream(ports).boxed().toList()));
    }

    @Test
    void fiftyMegabytesTravelBothWaysIntact() throws Exception {
        echo();
        byte[] chunk = new byte[64 * 1024];
        new Random(7).nextBytes(chunk);
        int chunks = 50 * 1024 * 1024 / chunk.length;
        MessageDigest sent = MessageDigest.getInstance("SHA-256");

        try (PortForwardSocket forward = fixture.client.forward(forward(pod.getLocalPort()), V4)) {
            assertThat(forward.port(0)).isEqualTo(pod.getLocalPort());
            CompletableFuture<byte[]> received =
                    CompletableFuture.supplyAsync(() -> digest(forward.input(0), (long) chunks * chunk.length));
            OutputStream out = forward.output(0);
            for (int i = 0; i < chunks; i++) {
                chunk[0] = (byte) i;
                out.write(chunk);
                sent.update(chunk);
            }

            assertThat(received.get(20, TimeUnit.SECONDS)).isEqualTo(sent.digest());
        }
        podSawEnd.get(5, TimeUnit.SECONDS);
        assertThat(fixture.backends.connectedPods).containsExactly("pod-1");
    }

    private static byte[] digest(InputStream in, long length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            long left = length;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new IOException(left + " bytes missing");
                }
                digest.update(buffer, 0, n);
                left -= n;
            }
            return digest.digest();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aPodThatClosesEndsTheForwardAndTheConnection() throws Exception {
        serve(socket -> socket.getOutputStream().write("bye".getBytes(StandardCharsets.UTF_8)));

        try (PortForwardSocket forward = fixture.client.forward(forward(pod.getLocalPort()), V4)) {
            assertThat(forward.input(0).readAllBytes())
                    .asString(StandardCharsets.UTF_8)
                    .isEqualTo("bye");
            assertThat(forward.awaitClosed()).isEqualTo(1000);
            assertThat(forward.error(0)).isEmpty();
        }
    }

    @Test
    void aRefusedPortIsReportedOnItsErrorChannel() throws Exception {
        int closed;
        try (ServerSocket unused = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = unused.getLocalPort();
        }

        try (PortForwardSocket forward = fixture.client.forward(forward(closed), V4)) {
            assertThat(forward.port(0)).isEqualTo(closed);
            assertThat(forward.awaitClosed()).isEqualTo(1000);
            assertThat(forward.error(0))
                    .startsWith("error forwarding port " + closed + " to pod pod-1, uid : ")
                    .containsIgnoringCase("refused");
        }
    }

    @Test
    void eachPortHasItsChannelPairAndBase64Works() throws Exception {
        echo();
        int closed;
        try (ServerSocket unused = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = unused.getLocalPort();
        }

        try (PortForwardSocket forward = fixture.client.forward(forward(closed, pod.getLocalPort()), V4_BASE64)) {
            assertThat(forward.channels().subprotocol()).isEqualTo(V4_BASE64);
            assertThat(forward.port(0)).isEqualTo(closed);
            assertThat(forward.port(1)).isEqualTo(pod.getLocalPort());
            forward.output(1).write(new byte[] {0, (byte) 0xff, 42});
            assertThat(forward.input(1).readNBytes(3)).containsExactly(0, 0xff, 42);
            assertThat(forward.error(1)).isEmpty();
            assertThat(forward.awaitError(0, java.time.Duration.ofSeconds(10)))
                    .contains("error forwarding port " + closed);
        }
    }

    @Test
    void portsComeFromTheQueryWhenTheRequestNamesNone() throws Exception {
        echo();
        URI url = fixture.url(new StreamRequest.PortForward("pod-1", List.of()));

        try (PortForwardSocket forward = fixture.client.forward(URI.create(url + "?port=" + pod.getLocalPort()))) {
            assertThat(forward.channels().subprotocol()).isEmpty();
            assertThat(forward.port(0)).isEqualTo(pod.getLocalPort());
            forward.output(0).write("ping".getBytes(StandardCharsets.UTF_8));
            assertThat(forward.input(0).readNBytes(4))
                    .asString(StandardCharsets.UTF_8)
                    .isEqualTo("ping");
        }
        URI none = fixture.url(new StreamRequest.PortForward("pod-1", List.of()));
        assertThatThrownBy(() -> fixture.client.forward(none, V4))
                .isInstanceOfSatisfying(
                        WebSocketStreamClient.RefusedException.class,
                        refused -> assertThat(refused.status()).isEqualTo(400));
    }

    @Test
    void remoteCommandProtocolsAreNotPortForwardProtocols() throws Exception {
        URI url = forward(pod.getLocalPort());

        assertThatThrownBy(() -> fixture.client.forward(url, WebSocketStreamClient.V5, WebSocketStreamClient.V1))
                .isInstanceOfSatisfying(
                        WebSocketStreamClient.RefusedException.class,
                        refused -> assertThat(refused.status()).isEqualTo(403));
    }

    @Test
    void aClientThatLeavesClosesThePodConnection() throws Exception {
        echo();
        PortForwardSocket forward = fixture.client.forward(forward(pod.getLocalPort()), V4);
        forward.output(0).write("x".getBytes(StandardCharsets.UTF_8));
        assertThat(forward.input(0).read()).isEqualTo('x');

        forward.channels().abort();

        podSawEnd.get(5, TimeUnit.SECONDS);
    }
}
