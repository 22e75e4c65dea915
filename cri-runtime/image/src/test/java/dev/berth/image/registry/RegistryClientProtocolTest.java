package dev.berth.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.image.Digest;
import dev.berth.image.manifest.Descriptor;
import dev.berth.image.manifest.MediaTypes;
import dev.berth.image.manifest.Platform;
import dev.berth.image.reference.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The distribution protocol against scripted registries on 127.0.0.1: challenges, tokens, mirrors,
 * redirects. (Tests against Debian's real docker-registry live beside berthd.)
 */
class RegistryClientProtocolTest {

    private static final Platform AMD64 = new Platform("linux", "amd64", null);
    private static final byte[] CONFIG = "{\"rootfs\":{\"diff_ids\":[]}}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] MANIFEST = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                    + "\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"size\":" + CONFIG.length
                    + ",\"digest\":\""
                    + Digest.sha256(CONFIG) + "\"},\"layers\":[]}")
            .getBytes(StandardCharsets.UTF_8);

    private final List<FakeRegistry> servers = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.server.stop(0));
    }

    /** A registry that serves one manifest and one blob, optionally behind an auth scheme. */
    private final class FakeRegistry {
        final HttpServer server;
        final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
        final List<String> authorizations = new CopyOnWriteArrayList<>();
        volatile String requiredAuthorization;
        volatile String challenge;
        volatile boolean hasImage = true;
        volatile String blobRedirect;
        volatile byte[] manifest = MANIFEST;

        FakeRegistry() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", this::handle);
            server.start();
            servers.add(this);
        }

        String hostPort() {
            return "127.0.0.1:" + server.getAddress().getPort();
        }

        URI uri() {
            return URI.create("http://" + hostPort());
        }

        int hits(String prefix) {
            return hits.entrySet().stream()
                    .filter(e -> e.getKey().startsWith(prefix))
                    .mapToInt(e -> e.getValue().get())
                    .sum();
        }

        private void handle(HttpExchange exchange) throws IOException {
            String path = exchange.getRequestURI().getPath();
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(authorization == null ? "" : authorization);
            if (path.equals("/token")) {
                String query = exchange.getRequestURI().getQuery();
                if (requiredAuthorization != null
                        && requiredAuthorization.startsWith("Bearer tok-for-")
                        && !"Basic YWxpY2U6c2VjcmV0".equals(authorization)
                        && query.contains("needs-login")) {
                    respond(exchange, 401, "{\"details\":\"incorrect username or password\"}", null);
                    return;
                }
                respond(
                        exchange,
                        200,
                        "{\"token\":\"tok-for-" + (authorization == null ? "anon" : "user") + "\",\"expires_in\":300}",
                        null);
                return;
            }
            if (requiredAuthorization != null && !requiredAuthorization.equals(authorization)) {
                exchange.getResponseHeaders().add("WWW-Authenticate", challenge);
                respond(
                        exchange,
                        401,
                        "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}",
                        null);
                return;
            }
            if (!hasImage) {
                respond(
                        exchange,
                        404,
                        "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}",
                        null);
                return;
            }
            if (path.contains("/manifests/")) {
                exchange.getResponseHeaders().add("Content-Type", MediaTypes.OCI_MANIFEST);
                exchange.getResponseHeaders()
                        .add("Docker-Content-Digest", Digest.sha256(MANIFEST).toString());
                exchange.sendResponseHeaders(200, manifest.length);
                exchange.getResponseBody().write(manifest);
                exchange.close();
            } else if (path.contains("/blobs/") && blobRedirect != null) {
                exchange.getResponseHeaders().add("Location", blobRedirect);
                respond(exchange, 307, "", null);
            } else if (path.contains("/blobs/") || path.startsWith("/storage/")) {
                exchange.sendResponseHeaders(200, CONFIG.length);
                exchange.getResponseBody().write(CONFIG);
                exchange.close();
            } else {
                respond(exchange, 404, "", null);
            }
        }

        private void respond(HttpExchange exchange, int status, String body, String type) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        }
    }

    private static ImageReference ref(FakeRegistry registry) throws Exception {
        return ImageReference.parse(registry.hostPort() + "/team/app:v1");
    }

    @Test
    void anonymousBearerFlowFetchesOneTokenForManyRequests() throws Exception {
        FakeRegistry registry = new FakeRegistry();
        registry.requiredAuthorization = "Bearer tok-for-anon";
        registry.challenge =
                "Bearer realm=\"" + registry.uri() + "/token\",service=\"test\",scope=\"repository:team/app:pull\"";
        try (RegistryClient client = new RegistryClient(RegistryConfig.empty())) {
            ResolvedImage image = client.resolve(ref(registry), RegistryCredentials.NONE, AMD64);
            client.fetchBlob(image, image.manifest().config(), RegistryCredentials.NONE);
            client.resolve(ref(registry), RegistryCredentials.NONE, AMD64);

            assertThat(image.digest()).isEqualTo(Digest.sha256(MANIFEST));
            assertThat(registry.hits("/token")).isEqualTo(1);
        }
    }

    @Test
    void bearerFlowSendsBasicCredentialsToTheTokenService() throws Exception {
        FakeRegistry registry = new FakeRegistry();
        registry.requiredAuthorization = "Bearer tok-for-user";
        registry.challenge = "Bearer realm=\"" + registry.uri() + "/token\",service=\"test\",scope=\"needs-login\"";
        try (RegistryClient client = new RegistryClient(RegistryConfig.empty())) {
            assertThatThrownBy(() -> client.resolve(ref(registry), RegistryCredentials.NONE, AMD64))
                    .isInstanceOfSatisfying(
                            RegistryException.class,
                            e -> assertThat(e.reason()).isEqualTo(RegistryException.Reason.UNAUTHORIZED))
                    .hasMessageContaining("incorrect username or password");

            RegistryCredentials alice = new RegistryCredentials("alice", "secret", null, null, null);
            assertThat(client.resolve(ref(registry), alice, AMD64).manifestDigest())
                    .isEqualTo(Digest.sha256(MANIFEST));
        }
    }

    @Test
    void registryTokenIsUsedAsTheBearerTokenDirectly() throws Exception {
        FakeRegistry registry = new FakeRegistry();
        registry.requiredAuthorization = "Bearer given-token";
        registry.challenge = "Bearer realm=\"" + registry.uri() + "/token\"";
        try (RegistryClient client = new RegistryClient(RegistryConfig.empty())) {
            client.resolve(ref(registry), new RegistryCredentials(null, null, null, "given-token", null), AMD64);

            assertThat(registry.hits("/token")).isZero();
        }
    }

    @Test
    void basicChallengeWithoutCredentialsIsUnauthorizedWithTheRegistrysMessage() throws Exception {
        FakeRegistry registry = new FakeRegistry();
        registry.requiredAuthorization = "Basic YWxpY2U6c2VjcmV0";
        registry.challenge = "Basic realm=\"test\"";
        try (RegistryClient client = new RegistryClient(RegistryConfig.empty())) {
            assertThatThrownBy(() -> client.resolve(ref(registry), RegistryCredentials.NONE, AMD64))
                    .isInstanceOfSatisfying(
                            RegistryException.class,
                            e -> assertThat(e.reason()).isEqualTo(RegistryException.Reason.UNAUTHORIZED));
            RegistryCredentials alice = new RegistryCredentials("alice", "secret", null, null, null);
            assertThat(client.resolve(ref(registry), alice, AMD64)).isNotNull();
        }
    }

    @Test
    void mirrorWithoutTheImageFallsThroughToTheRegistry() throws Exception {
        FakeRegistry mirror = new FakeRegistry();
        mirror.hasImage = false;
        FakeRegistry upstream = new FakeRegistry();
        RegistryConfig config =
                new RegistryConfig(Map.of(upstream.hostPort(), new RegistryHost(List.of(mirror.uri()), false, false)));
        try (RegistryClient client = new RegistryClient(config)) {
            ResolvedImage image = client.resolve(ref(upstream), RegistryCredentials.NONE, AMD64);

            assertThat(image.endpoint()).isEqualTo(URI.create("http://" + upstream.hostPort()));
            assertThat(mirror.hits("/v2/team/app/manifests")).isEqualTo(1);
        }
    }

    @Test
    void aPullKeepsTheSettingsItResolvedWithWhenTheyChange() throws Exception {
        FakeRegistry mirror = new FakeRegistry();
        FakeRegistry upstream = new FakeRegistry();
        java.util.concurrent.atomic.AtomicReference<RegistryConfig> settings =
                new java.util.concurrent.atomic.AtomicReference<>(new RegistryConfig(
                        Map.of(upstream.hostPort(), new RegistryHost(List.of(mirror.uri()), true, false))));
        try (RegistryClient client = new RegistryClient(settings::get, RegistryClient.DEFAULT_PROGRESS_TIMEOUT)) {
            ResolvedImage started = client.resolve(ref(upstream), RegistryCredentials.NONE, AMD64);
            settings.set(RegistryConfig.empty());

            assertThat(client.fetchBlob(started, started.manifest().config(), RegistryCredentials.NONE))
                    .isEqualTo(CONFIG);
            assertThat(mirror.hits("/v2/team/app/blobs/"))
                    .as("the pull going on stays on its mirror")
                    .isEqualTo(1);
            assertThat(upstream.hits("/")).isZero();

            client.resolve(ref(upstream), RegistryCredentials.NONE, AMD64);
            assertThat(upstream.hits("/v2/team/app/manifests"))
                    .as("the next pull has the new settings")
                    .isEqualTo(1);
        }
    }

    @Test
    void mirrorsOnlyNeverContactsTheRegistryAndSaysWhatTheMirrorSaid() throws Exception {
        FakeRegistry mirror = new FakeRegistry();
        mirror.hasImage = false;
        FakeRegistry upstream = new FakeRegistry();
        RegistryConfig config =
                new RegistryConfig(Map.of(upstream.hostPort(), new RegistryHost(List.of(mirror.uri()), true, false)));
        try (RegistryClient client = new RegistryClient(config)) {
            assertThatThrownBy(() -> client.resolve(ref(upstream), RegistryCredentials.NONE, AMD64))
                    .isInstanceOfSatisfying(
                            RegistryException.class,
                            e -> assertThat(e.reason()).isEqualTo(RegistryException.Reason.NOT_FOUND))
                    .hasMessageContaining("MANIFEST_UNKNOWN");
            assertThat(upstream.hits("/")).isZero();
        }
    }

    @Test
    void credentialsAreNeverSentToAMirror() throws Exception {
        FakeRegistry mirror = new FakeRegistry();
        mirror.requiredAuthorization = "Basic YWxpY2U6c2VjcmV0";
        mirror.challenge = "Basic realm=\"mirror\"";
        FakeRegistry upstream = new FakeRegistry();
        RegistryConfig config =
                new RegistryConfig(Map.of(upstream.hostPort(), new RegistryHost(List.of(mirror.uri()), false, false)));
        try (RegistryClient client = new RegistryClient(config)) {
            client.resolve(ref(upstream), new RegistryCredentials("alice", "secret", null, null, null), AMD64);

            assertThat(mirror.authorizations).allMatch(String::isEmpty);
        }
    }

    @Test
    void blobRedirectedToAnotherHostGetsNoAuthorizationHeader() throws Exception {
        FakeRegistry storage = new FakeRegistry();
        FakeRegistry registry = new FakeRegistry();
        registry.requiredAuthorization = "Basic YWxpY2U6c2VjcmV0";
        registry.challenge = "Basic realm=\"test\"";
        registry.blobRedirect =
                "http://localhost:" + storage.server.getAddress().getPort() + "/storage/blob?sig=1";
        RegistryCredentials alice = new RegistryCredentials("alice", "secret", null, null, null);
        try (RegistryClient client = new RegistryClient(RegistryConfig.empty())) {
            ResolvedImage image = client.resolve(ref(registry), alice, AMD64);
            Descriptor config = image.manifest().config();

            try (InputStream in = client.openBlob(image, config, alice)) {
                assertThat(in.readAllBytes()).isEqualTo(CONFIG);
            }
            assertThat(storage.authorizations).containsExactly("");
        }
    }

    @Test
    void manifestThatDoesNotMatchItsDigestIsDataLoss() throws Exception {
        FakeRegistry registry = new FakeRegistry();
        registry.manifest = (new String(MANIFEST, StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8);
        try (RegistryClient client = new RegistryClient(RegistryConfig.empty())) {
            assertThatThrownBy(() -> client.resolve(ref(registry), RegistryCredentials.NONE, AMD64))
                    .isInstanceOfSatisfying(
                            RegistryException.class,
                            e -> assertThat(e.reason()).isEqualTo(RegistryException.Reason.DIGEST_MISMATCH));
        }
    }

    @Test
    void unreachableRegistryIsReportedAsSuch() throws Exception {
        FakeRegistry registry = new FakeRegistry();
        ImageReference gone = ref(registry);
        registry.server.stop(0);
        try (RegistryClient client = new RegistryClient(RegistryConfig.empty())) {
            assertThatThrownBy(() -> client.resolve(gone, RegistryCredentials.NONE, AMD64))
                    .isInstanceOfSatisfying(
                            RegistryException.class,
                            e -> assertThat(e.reason()).isEqualTo(RegistryException.Reason.UNREACHABLE));
        }
    }

    @Test
    void loopbackRegistriesUsePlainHttpAndDockerHubUsesItsApiHost() {
        assertThat(RegistryConfig.empty()
                        .endpoints("127.0.0.1:5000")
                        .getFirst()
                        .base()
                        .getScheme())
                .isEqualTo("http");
        assertThat(RegistryConfig.empty()
                        .endpoints("localhost:5000")
                        .getFirst()
                        .base()
                        .getScheme())
                .isEqualTo("http");
        assertThat(RegistryConfig.empty()
                        .endpoints("registry.example.com")
                        .getFirst()
                        .base()
                        .getScheme())
                .isEqualTo("https");
        assertThat(RegistryConfig.empty()
                        .endpoints("docker.io")
                        .getFirst()
                        .base()
                        .getHost())
                .isEqualTo("registry-1.docker.io");
    }
}
