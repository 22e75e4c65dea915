package dev.berth.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The watchdog against the JDK HttpClient's real body stream, from a server that stalls or trickles. */
class ProgressWatchdogTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private final CountDownLatch released = new CountDownLatch(1);
    private final HttpClient http = HttpClient.newHttpClient();
    private final ProgressWatchdog watchdog = new ProgressWatchdog(TIMEOUT);
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/stall", exchange -> {
            exchange.sendResponseHeaders(200, 10);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(new byte[5]);
                out.flush();
                released.await();
                out.write(new byte[5]);
            } catch (Exception e) {
                // the client gave up
            }
        });
        server.createContext("/trickle", exchange -> {
            exchange.sendResponseHeaders(200, 8);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 8; i++) {
                    out.write(i);
                    out.flush();
                    Thread.sleep(TIMEOUT.toMillis() / 3);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        released.countDown();
        server.stop(0);
        watchdog.close();
        http.close();
    }

    private InputStream open(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
        HttpResponse<InputStream> response =
                http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofInputStream());
        return watchdog.watch(response.body(), "blob x from the test registry");
    }

    @Test
    void bodyThatStopsSendingFailsWithinTheTimeoutNamingWhatStalled() throws Exception {
        long started = System.nanoTime();
        try (InputStream body = open("/stall")) {
            assertThatThrownBy(body::readAllBytes)
                    .isInstanceOf(StalledReadException.class)
                    .hasMessageContaining("blob x from the test registry stalled")
                    .hasMessageContaining("500 ms");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(TIMEOUT, TIMEOUT.multipliedBy(6));
    }

    @Test
    void slowButMovingBodyIsReadWhole() throws Exception {
        try (InputStream body = open("/trickle")) {
            assertThat(body.readAllBytes()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        }
    }

    @Test
    void timeTheReaderSpendsBetweenReadsDoesNotCount() throws Exception {
        try (InputStream body = open("/trickle")) {
            assertThat(body.read()).isZero();
            Thread.sleep(TIMEOUT.multipliedBy(2).toMillis());
            assertThat(body.readAllBytes()).hasSize(7);
        }
    }

    @Test
    void zeroTimeoutLeavesTheStreamUnwatched() throws Exception {
        try (ProgressWatchdog disabled = new ProgressWatchdog(Duration.ZERO)) {
            InputStream plain = InputStream.nullInputStream();
            assertThat(disabled.watch(plain, "x")).isSameAs(plain);
        }
    }
}
