package dev.berth.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The endpoint binds what it is told; only the default address gives way to a port in use. */
class MetricsServerTest {

    private final BerthMetrics metrics = new BerthMetrics("test");

    @Test
    void portZeroServesTheTextFormatOnThePortItGot() throws Exception {
        try (MetricsServer server = new MetricsServer(new MetricsAddress("127.0.0.1", 0), false, metrics.registry())) {
            server.start();
            int port = server.port().orElseThrow();
            assertThat(port).isPositive();
            try (HttpClient client = HttpClient.newHttpClient()) {
                HttpResponse<String> response = client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("content-type"))
                        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
                assertThat(Exposition.parse(response.body()).value("berth_build_info", "version", "test"))
                        .contains(1.0);
            }
        }
    }

    @Test
    void aConfiguredAddressInUseStopsTheStart() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                MetricsServer server = new MetricsServer(
                        new MetricsAddress("127.0.0.1", taken.getLocalPort()), false, metrics.registry())) {
            assertThatThrownBy(server::start)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("metrics.address 127.0.0.1:" + taken.getLocalPort());
            assertThat(server.port()).isEmpty();
        }
    }

    @Test
    void theDefaultAddressInUseLeavesMetricsOff() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                MetricsServer server = new MetricsServer(
                        new MetricsAddress("127.0.0.1", taken.getLocalPort()), true, metrics.registry())) {
            server.start();
            assertThat(server.port()).isEmpty();
        }
    }

    @Test
    void addressesParseAsHostAndPort() {
        assertThat(MetricsAddress.parse("k", "127.0.0.1:1338")).isEqualTo(new MetricsAddress("127.0.0.1", 1338));
        assertThat(MetricsAddress.parse("k", "[::1]:9100")).isEqualTo(new MetricsAddress("::1", 9100));
        assertThat(MetricsAddress.parse("k", "[::1]:9100").toString()).isEqualTo("[::1]:9100");
        assertThat(MetricsAddress.parse("k", ":1338")).isEqualTo(new MetricsAddress("0.0.0.0", 1338));
        assertThat(MetricsAddress.parse("k", "localhost:0")).isEqualTo(new MetricsAddress("localhost", 0));
        for (String bad : new String[] {"1338", "127.0.0.1:", "127.0.0.1:x", "::1:1338", "127.0.0.1:65536"}) {
            assertThatThrownBy(() -> MetricsAddress.parse("metrics.address", bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("metrics.address");
        }
    }
}
