package dev.berth.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP side of the streaming server before any protocol: tokens, paths, upgrades. */
class StreamingRouterTest {

    private final StreamTokens tokens = new StreamTokens(Clock.systemUTC());
    private final HttpClient http = HttpClient.newHttpClient();
    private StreamingServer server;

    @BeforeEach
    void start() throws Exception {
        server = new StreamingServer(StreamingSettings.loopback(), tokens, List.of());
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        http.close();
    }

    @Test
    void serverListensOnLoopbackOnARandomPort() {
        assertThat(server.base().getHost()).isEqualTo("127.0.0.1");
        assertThat(server.base().getPort()).isPositive();
    }

    @Test
    void unknownTokenGets404() throws Exception {
        assertThat(get(server.base().resolve("exec/bogus")).statusCode()).isEqualTo(404);
    }

    @Test
    void unknownPathGets404() throws Exception {
        assertThat(get(server.base().resolve("metrics")).statusCode()).isEqualTo(404);
        assertThat(get(server.base().resolve("exec/a/b")).statusCode()).isEqualTo(404);
    }

    @Test
    void aTokenIsUsedUpByItsFirstRequestEvenWithoutUpgrade() throws Exception {
        URI url = server.url(new StreamRequest.Attach("c1", new StreamRequest.Channels(false, true, false, false)));

        assertThat(get(url).statusCode()).isEqualTo(400);
        assertThat(get(url).statusCode()).isEqualTo(404);
    }

    @Test
    void aTokenOnlyServesItsOwnKind() throws Exception {
        URI url = server.url(new StreamRequest.PortForward("p1", List.of(80)));
        String token = url.getPath().substring(url.getPath().lastIndexOf('/') + 1);

        assertThat(get(server.base().resolve("exec/" + token)).statusCode()).isEqualTo(404);
        assertThat(tokens.consume(token)).isEmpty();
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
