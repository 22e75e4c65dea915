package dev.berth.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.image.Digest;
import dev.berth.image.manifest.Descriptor;
import dev.berth.image.manifest.MediaTypes;
import dev.berth.image.reference.ImageReference;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The push protocol against a scripted registry on 127.0.0.1, for what docker-registry never does: relative
 * upload Locations, a Range that says a chunk was lost, a token challenge that names only pull. (Pushes to
 * Debian's real docker-registry are tested beside berthd.)
 */
class RegistryPusherProtocolTest {

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> contentRanges = new CopyOnWriteArrayList<>();
    private final List<String> scopes = new CopyOnWriteArrayList<>();
    private final Map<String, ByteArrayOutputStream> uploads = new ConcurrentHashMap<>();
    private final Map<String, byte[]> stored = new ConcurrentHashMap<>();
    private volatile boolean loseChunks;
    private volatile boolean bearer;
    private final CountDownLatch answerUploads = new CountDownLatch(1);
    private volatile boolean holdUploads;
    private RegistryClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.createContext("/token", this::token);
        server.start();
        client = new RegistryClient(RegistryConfig.empty());
    }

    @AfterEach
    void stop() {
        answerUploads.countDown();
        client.close();
        server.stop(0);
    }

    private String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void token(HttpExchange exchange) throws IOException {
        for (String pair : exchange.getRequestURI().getRawQuery().split("&")) {
            if (pair.startsWith("scope=")) {
                scopes.add(URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8));
            }
        }
        respond(exchange, 200, "{\"token\":\"t0ken\"}".getBytes(StandardCharsets.UTF_8));
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getRawQuery();
        byte[] body = exchange.getRequestBody().readAllBytes();
        requests.add(method + " " + path + (query == null ? "" : "?" + query));
        if (bearer && !"Bearer t0ken".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            exchange.getResponseHeaders()
                    .add(
                            "WWW-Authenticate",
                            "Bearer realm=\"http://" + host()
                                    + "/token\",service=\"fake\",scope=\"repository:team/app:pull\"");
            respond(exchange, 401, new byte[0]);
            return;
        }
        if (method.equals("HEAD")) {
            String digest = path.substring(path.lastIndexOf('/') + 1);
            respond(exchange, stored.containsKey(digest) ? 200 : 404, null);
        } else if (method.equals("POST")) {
            String id = "u" + uploads.size();
            uploads.put(id, new ByteArrayOutputStream());
            // relative to the request's path, as the spec allows
            exchange.getResponseHeaders().add("Location", id + "?step=0");
            respond(exchange, 202, new byte[0]);
        } else if (method.equals("PATCH")) {
            String id = path.substring(path.lastIndexOf('/') + 1);
            contentRanges.add(exchange.getRequestHeaders().getFirst("Content-Range"));
            ByteArrayOutputStream upload = uploads.get(id);
            if (!loseChunks || upload.size() == 0) {
                upload.write(body);
            }
            exchange.getResponseHeaders()
                    .add("Location", "/v2/team/app/blobs/uploads/" + id + "?step=" + upload.size());
            exchange.getResponseHeaders().add("Range", "0-" + (upload.size() - 1));
            respond(exchange, 202, new byte[0]);
        } else if (method.equals("PUT") && path.contains("/blobs/uploads/")) {
            if (holdUploads) {
                awaitQuietly(answerUploads);
            }
            String id = path.substring(path.lastIndexOf('/') + 1);
            ByteArrayOutputStream upload = uploads.get(id);
            upload.write(body);
            String digest = URLDecoder.decode(query.replaceAll(".*digest=", ""), StandardCharsets.UTF_8);
            byte[] bytes = upload.toByteArray();
            if (!Digest.sha256(bytes).toString().equals(digest)) {
                respond(exchange, 400, "{\"errors\":[{\"code\":\"DIGEST_INVALID\"}]}".getBytes());
                return;
            }
            stored.put(digest, bytes);
            respond(exchange, 201, new byte[0]);
        } else if (method.equals("PUT") && path.contains("/manifests/")) {
            exchange.getResponseHeaders()
                    .add("Docker-Content-Digest", Digest.sha256(body).toString());
            stored.put(path, body);
            respond(exchange, 201, new byte[0]);
        } else {
            respond(exchange, 405, new byte[0]);
        }
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body == null || body.length == 0 ? -1 : body.length);
        if (body != null && body.length > 0) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    private RegistryPusher.Pushed push(Path dir, byte[] layer, PushSettings settings, RegistryCredentials credentials)
            throws Exception {
        Path file = Files.write(dir.resolve("layer"), layer);
        Digest digest = Digest.sha256(layer);
        byte[] manifest =
                ("{\"schemaVersion\":2,\"layers\":[{\"digest\":\"" + digest + "\"}]}").getBytes(StandardCharsets.UTF_8);
        return client.pusher(settings)
                .push(
                        ImageReference.parse(host() + "/team/app:1"),
                        new RegistryPusher.Manifest(manifest, MediaTypes.OCI_MANIFEST),
                        List.of(new PushBlob(
                                new Descriptor(MediaTypes.OCI_LAYER_GZIP, digest, layer.length, null, null), file)),
                        List.of(),
                        credentials,
                        event -> {});
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] bytes(int n) {
        byte[] data = new byte[n];
        for (int i = 0; i < n; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        return data;
    }

    @Test
    void chunkedUploadFollowsRelativeLocationsAndSendsEachRange(@TempDir Path dir) throws Exception {
        byte[] layer = bytes(10_000);

        RegistryPusher.Pushed pushed = push(dir, layer, new PushSettings(1000, 4096, 2), RegistryCredentials.NONE);

        assertThat(contentRanges).containsExactly("0-4095", "4096-8191", "8192-9999");
        assertThat(stored.get(Digest.sha256(layer).toString())).isEqualTo(layer);
        assertThat(requests)
                .filteredOn(r -> r.startsWith("PATCH "))
                .containsExactly(
                        "PATCH /v2/team/app/blobs/uploads/u0?step=0",
                        "PATCH /v2/team/app/blobs/uploads/u0?step=4096",
                        "PATCH /v2/team/app/blobs/uploads/u0?step=8192");
        assertThat(requests)
                .contains("PUT /v2/team/app/blobs/uploads/u0?step=10000&digest=sha256%3A"
                        + Digest.sha256(layer).encoded());
        assertThat(pushed.reference()).isEqualTo("1");
        assertThat(stored).containsKey("/v2/team/app/manifests/1");
    }

    @Test
    void aRegistryThatNeverAnswersAnUploadFailsThePushWithinItsTimeout(@TempDir Path dir) {
        holdUploads = true;
        long started = System.nanoTime();

        assertThatThrownBy(() -> push(
                        dir,
                        bytes(10_000),
                        new PushSettings(1 << 20, 1 << 20, 1, Duration.ofSeconds(1)),
                        RegistryCredentials.NONE))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RegistryException.Reason.UNREACHABLE);
                    assertThat(e.getMessage()).contains("sent no answer to PUT").contains("within 1000 ms");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(requests).noneMatch(r -> r.contains("/manifests/"));
    }

    @Test
    void aRangeShorterThanWhatWasSentFailsThePush(@TempDir Path dir) {
        loseChunks = true;

        assertThatThrownBy(() -> push(dir, bytes(10_000), new PushSettings(1000, 4096, 1), RegistryCredentials.NONE))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RegistryException.Reason.INVALID);
                    assertThat(e.getMessage()).contains("range 0-4095");
                });
        assertThat(requests).noneMatch(r -> r.contains("/manifests/"));
    }

    @Test
    void tokenIsAskedForPullAndPushWhateverTheChallengeNames(@TempDir Path dir) throws Exception {
        bearer = true;

        push(dir, bytes(100), PushSettings.DEFAULT, new RegistryCredentials("u", "p", null, null, host()));

        assertThat(scopes).containsExactly("repository:team/app:pull,push");
        assertThat(requests.stream().filter(r -> r.startsWith("PUT /v2/team/app/manifests/1")))
                .hasSize(1);
    }
}
