package dev.berth.streaming.spdy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.streaming.StreamRequest;
import dev.berth.testing.SpdyStreamClient;
import dev.berth.testing.SpdyStreamClient.Connection;
import dev.berth.testing.SpdyStreamClient.PortForwardSession;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SpdyPortForwardTest {

    private SpdyTestServer server;
    private SpdyStreamClient client;
    private ServerSocket echo;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void start() throws Exception {
        server = new SpdyTestServer();
        client = new SpdyStreamClient();
        echo = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        threads.submit(() -> {
            while (!echo.isClosed()) {
                Socket socket = echo.accept();
                threads.submit(() -> {
                    try (socket) {
                        socket.getInputStream().transferTo(socket.getOutputStream());
                        socket.shutdownOutput();
                    }
                    return null;
                });
            }
            return null;
        });
    }

    @AfterEach
    void stop() throws IOException {
        echo.close();
        threads.shutdownNow();
        client.close();
        server.close();
    }

    private URI forward(Integer... ports) throws Exception {
        return server.url(new StreamRequest.PortForward("pod1", List.of(ports)));
    }

    @Test
    void tenConcurrentConnectionsShareOneSession() throws Exception {
        try (PortForwardSession session = client.openSession(forward())) {
            assertThat(session.connection().protocol()).isEqualTo("portforward.k8s.io");
            List<Future<String>> replies = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String message = "connection " + i;
                replies.add(threads.submit(() -> roundTrip(session.connect(echo.getLocalPort()), message)));
            }
            for (int i = 0; i < 10; i++) {
                assertThat(replies.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("connection " + i);
            }
        }
    }

    private static String roundTrip(Connection conn, String message) throws IOException {
        try (conn) {
            conn.output().write(message.getBytes(StandardCharsets.UTF_8));
            conn.output().close();
            String reply = new String(conn.input().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(conn.awaitError()).isEmpty();
            return reply;
        }
    }

    @Test
    void fiftyMegabytesGoBothWaysIntact() throws Exception {
        long size = 50L * 1024 * 1024;
        try (PortForwardSession session = client.openSession(forward(echo.getLocalPort()))) {
            Connection conn = session.connect(echo.getLocalPort());
            Future<?> sending = threads.submit(() -> {
                try (OutputStream out = conn.output()) {
                    FakeBackends.generate(out, size);
                }
                return null;
            });
            String received = FakeBackends.sha256(conn.input());
            sending.get(10, TimeUnit.SECONDS);

            assertThat(received).isEqualTo(FakeBackends.sha256Of(size));
            conn.close();
            assertThat(conn.awaitError()).isEmpty();
        }
    }

    @Test
    void aRefusedPortIsReportedOnTheErrorStream() throws Exception {
        int closedPort;
        try (ServerSocket unused = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = unused.getLocalPort();
        }
        try (PortForwardSession session = client.openSession(forward())) {
            Connection conn = session.connect(closedPort);

            assertThat(conn.input().readAllBytes()).isEmpty();
            assertThat(conn.awaitError())
                    .startsWith("error forwarding port " + closedPort + " to pod pod1, uid : ")
                    .containsIgnoringCase("refused");
        }
    }

    @Test
    void portsOutsideTheRequestAreNotForwarded() throws Exception {
        try (PortForwardSession session = client.openSession(forward(1))) {
            Connection conn = session.connect(echo.getLocalPort());

            assertThat(conn.input().readAllBytes()).isEmpty();
            assertThat(conn.awaitError()).contains("port " + echo.getLocalPort() + " is not among the ports");
        }
    }

    @Test
    void invalidPortHeadersAreRefused() throws Exception {
        try (PortForwardSession session = client.openSession(forward())) {
            for (String port : List.of("0", "65536", "http", "")) {
                assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> session.connection()
                                .createStream(Map.of("streamType", "data", "port", port, "requestID", "x" + port))))
                        .as("port %s", port)
                        .hasMessageContaining("reset");
            }
            // the session still serves valid connections
            assertThat(roundTrip(session.connect(echo.getLocalPort()), "still here"))
                    .isEqualTo("still here");
        }
    }

    @Test
    void aLoneStreamTimesOutWithAMessage() throws Exception {
        try (PortForwardSession session = client.openSession(forward())) {
            var error =
                    session.connection().createStream(Map.of("streamType", "error", "port", "80", "requestID", "7"));

            InputStream text = error.input();
            assertThat(new String(text.readAllBytes(), StandardCharsets.UTF_8))
                    .contains("timed out waiting for streams");
        }
    }

    @Test
    void aKilledClientClosesEveryForwardedConnection() throws Exception {
        PortForwardSession session = client.openSession(forward());
        Connection conn = session.connect(echo.getLocalPort());
        conn.output().write("x".getBytes(StandardCharsets.UTF_8));
        assertThat(conn.input().read()).isEqualTo('x');

        session.connection().kill();

        SpdyTestServer.eventually(Duration.ofSeconds(5), () -> {
            assertThat(server.openConnections()).isZero();
            assertThat(establishedTo(echo.getLocalPort())).isZero();
        });
    }

    private static long establishedTo(int port) throws IOException {
        String local = String.format(":%04X", port);
        return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/net/tcp")).stream()
                .skip(1)
                .map(line -> line.trim().split("\\s+"))
                .filter(f -> f[1].endsWith(local) && f[3].equals("01"))
                .count();
    }

    @Test
    void halfCloseFromTheClientReachesThePod() throws Exception {
        try (PortForwardSession session = client.openSession(forward())) {
            Connection conn = session.connect(echo.getLocalPort());
            new ByteArrayInputStream("half".getBytes(StandardCharsets.UTF_8)).transferTo(conn.output());
            conn.output().close();

            // the echo server sees end of stream only through shutdownOutput, and then closes its side
            assertThat(new String(conn.input().readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("half");
            conn.close();
            assertThat(conn.awaitError()).isEmpty();
        }
    }
}
