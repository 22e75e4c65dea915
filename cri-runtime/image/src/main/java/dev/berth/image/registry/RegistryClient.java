package dev.berth.image.registry;

import dev.berth.image.Digest;
import dev.berth.image.manifest.Descriptor;
import dev.berth.image.manifest.ImageIndex;
import dev.berth.image.manifest.ImageManifest;
import dev.berth.image.manifest.ManifestParser;
import dev.berth.image.manifest.ParsedManifest;
import dev.berth.image.manifest.Platform;
import dev.berth.image.manifest.PlatformMatcher;
import dev.berth.image.manifest.UnsupportedManifestException;
import dev.berth.image.reference.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OCI distribution client: resolves references to manifests (choosing the platform from an
 * index) and fetches blobs, trying a registry's mirrors before the registry itself. Credentials go only
 * to the image's own registry (or the host they were issued for), never to a mirror. Every read has a
 * progress timeout: the headers must come, and each read of a body must bring a byte, within it.
 */
public final class RegistryClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RegistryClient.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    private static final int MAX_SMALL_BLOB_BYTES = 16 * 1024 * 1024;
    private static final int MAX_REDIRECTS = 5;
    /** containerd's {@code image_pull_progress_timeout} default. */
    public static final Duration DEFAULT_PROGRESS_TIMEOUT = Duration.ofMinutes(5);

    private final Supplier<RegistryConfig> settings;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final RegistryHttp http;
    private final Authenticator authenticator;
    private final ManifestParser parser = new ManifestParser();
    private final ProgressWatchdog watchdog;

    public RegistryClient(RegistryConfig config) {
        this(() -> config, DEFAULT_PROGRESS_TIMEOUT);
    }

    /**
     * {@code settings} is asked once a pull, when it resolves its reference: a reload of berth.yaml applies to the
     * pulls that start after it, a pull already going on keeps the mirrors it started with. {@code progressTimeout}
     * zero disables the progress timeout.
     */
    public RegistryClient(Supplier<RegistryConfig> settings, Duration progressTimeout) {
        if (progressTimeout.isNegative()) {
            throw new IllegalArgumentException("the progress timeout must not be negative: " + progressTimeout);
        }
        this.settings = settings;
        this.watchdog = new ProgressWatchdog(progressTimeout);
        this.http = new RegistryHttp(CONNECT_TIMEOUT, executor);
        this.authenticator = new Authenticator(http);
    }

    public ResolvedImage resolve(ImageReference ref, RegistryCredentials credentials, Platform platform)
            throws RegistryException {
        RegistryConfig config = settings.get();
        List<RegistryConfig.Endpoint> endpoints = config.endpoints(ref.registry());
        List<RegistryException> failures = new ArrayList<>();
        for (RegistryConfig.Endpoint endpoint : endpoints) {
            try {
                return resolveAt(config, endpoint, ref, credentials, platform);
            } catch (RegistryException e) {
                log.debug("resolving {} at {} failed: {}", ref, endpoint, e.getMessage());
                failures.add(e);
                if (!e.worthTryingElsewhere()) {
                    throw e;
                }
            }
        }
        throw combine(endpoints, failures);
    }

    private ResolvedImage resolveAt(
            RegistryConfig config,
            RegistryConfig.Endpoint endpoint,
            ImageReference ref,
            RegistryCredentials credentials,
            Platform platform)
            throws RegistryException {
        String target = ref.digest() != null ? ref.digest().toString() : ref.tag();
        Fetched top = fetchManifest(endpoint, ref, target, ref.digest(), credentials);
        ParsedManifest parsed = parse(top);
        if (parsed instanceof ImageManifest manifest) {
            return new ResolvedImage(
                    ref,
                    top.digest(),
                    manifest.mediaType(),
                    List.of(),
                    top.digest(),
                    manifest,
                    top.body(),
                    endpoint.base(),
                    config);
        }
        ImageIndex index = (ImageIndex) parsed;
        List<Platform> platforms = index.manifests().stream()
                .map(Descriptor::platform)
                .filter(Objects::nonNull)
                .filter(p -> !"unknown".equals(p.os()))
                .toList();
        Descriptor chosen = PlatformMatcher.select(index, platform)
                .orElseThrow(() -> new RegistryException(
                        RegistryException.Reason.NOT_FOUND,
                        "no manifest for platform " + platform + " in " + ref + "; available: " + platforms));
        Fetched child = fetchManifest(endpoint, ref, chosen.digest().toString(), chosen.digest(), credentials);
        if (!(parse(child) instanceof ImageManifest manifest)) {
            throw new RegistryException(
                    RegistryException.Reason.INVALID,
                    "index entry " + chosen.digest() + " of " + ref + " is not an image manifest");
        }
        return new ResolvedImage(
                ref,
                top.digest(),
                index.mediaType(),
                platforms,
                chosen.digest(),
                manifest,
                child.body(),
                endpoint.base(),
                config);
    }

    private ParsedManifest parse(Fetched fetched) throws RegistryException {
        try {
            return parser.parse(fetched.body(), fetched.contentType());
        } catch (UnsupportedManifestException e) {
            throw new RegistryException(RegistryException.Reason.UNSUPPORTED, e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(RegistryException.Reason.INVALID, "invalid manifest: " + e.getMessage(), e);
        }
    }

    private record Fetched(byte[] body, String contentType, Digest digest) {}

    private Fetched fetchManifest(
            RegistryConfig.Endpoint endpoint,
            ImageReference ref,
            String target,
            Digest expected,
            RegistryCredentials credentials)
            throws RegistryException {
        HttpResponse<InputStream> response = send(
                endpoint,
                ref,
                "manifests/" + target,
                dev.berth.image.manifest.MediaTypes.ACCEPT_MANIFESTS,
                credentials,
                headerTimeout(REQUEST_TIMEOUT));
        byte[] body = readLimited(response, MAX_MANIFEST_BYTES, "manifest " + ref + " from " + endpoint);
        Digest actual = Digest.sha256(body);
        Digest claimed = expected;
        if (claimed == null) {
            claimed = response.headers()
                    .firstValue("Docker-Content-Digest")
                    .map(Digest::parse)
                    .orElse(actual);
        }
        if (!actual.equals(claimed)) {
            throw new RegistryException(
                    RegistryException.Reason.DIGEST_MISMATCH,
                    "manifest " + target + " of " + ref + " from " + endpoint + " has digest " + actual + ", expected "
                            + claimed);
        }
        return new Fetched(body, response.headers().firstValue("Content-Type").orElse(null), actual);
    }

    /**
     * Pushes through this client's connections and its cached authorizations, with the registry settings in force
     * when each push starts (a reload of berth.yaml applies to the next one).
     */
    public RegistryPusher pusher(PushSettings pushSettings) {
        return new RegistryPusher(settings, http, authenticator, executor, pushSettings);
    }

    /** A small blob (an image config), verified against its digest. */
    public byte[] fetchBlob(ResolvedImage image, Descriptor descriptor, RegistryCredentials credentials)
            throws RegistryException {
        if (descriptor.size() > MAX_SMALL_BLOB_BYTES) {
            throw new RegistryException(
                    RegistryException.Reason.INVALID,
                    "blob " + descriptor.digest() + " declares " + descriptor.size()
                            + " bytes, too large to hold in memory");
        }
        try (InputStream in = openBlob(image, descriptor, credentials)) {
            byte[] body = in.readNBytes(MAX_SMALL_BLOB_BYTES + 1);
            Digest actual = Digest.sha256(body);
            if (!actual.equals(descriptor.digest())) {
                throw new RegistryException(
                        RegistryException.Reason.DIGEST_MISMATCH,
                        "blob " + descriptor.digest() + " of " + image.reference() + " has digest " + actual);
            }
            return body;
        } catch (IOException e) {
            throw new RegistryException(
                    RegistryException.Reason.UNREACHABLE,
                    "reading blob " + descriptor.digest() + " failed: " + e.getMessage(),
                    e);
        }
    }

    /**
     * The body of a blob as a stream, not verified here: the caller hashes while it reads. Tries the
     * endpoint that served the manifest first.
     */
    public InputStream openBlob(ResolvedImage image, Descriptor descriptor, RegistryCredentials credentials)
            throws RegistryException {
        List<RegistryConfig.Endpoint> endpoints =
                new ArrayList<>(image.registries().endpoints(image.reference().registry()));
        endpoints.sort((a, b) ->
                Boolean.compare(!a.base().equals(image.endpoint()), !b.base().equals(image.endpoint())));
        List<RegistryException> failures = new ArrayList<>();
        for (RegistryConfig.Endpoint endpoint : endpoints) {
            try {
                HttpResponse<InputStream> response = send(
                        endpoint,
                        image.reference(),
                        "blobs/" + descriptor.digest(),
                        "*/*",
                        credentials,
                        headerTimeout(null));
                return watchdog.watch(response.body(), "blob " + descriptor.digest() + " from " + endpoint);
            } catch (RegistryException e) {
                failures.add(e);
                if (!e.worthTryingElsewhere()) {
                    throw e;
                }
            }
        }
        throw combine(endpoints, failures);
    }

    /**
     * One GET with auth and redirects handled; returns a 200 response with its body still open, or
     * throws with the registry's message.
     */
    private HttpResponse<InputStream> send(
            RegistryConfig.Endpoint endpoint,
            ImageReference ref,
            String path,
            String accept,
            RegistryCredentials credentials,
            Duration timeout)
            throws RegistryException {
        RegistryCredentials usable =
                mayReceiveCredentials(endpoint, ref, credentials) ? credentials : RegistryCredentials.NONE;
        String authKey = endpoint.base() + "|" + ref.repository() + "|" + System.identityHashCode(usable);
        URI uri = endpoint.resolve(ref.repository() + "/" + path);
        String authorization = authenticator.cached(authKey).orElse(null);
        boolean answeredChallenge = false;
        for (int redirects = 0; ; ) {
            HttpResponse<InputStream> response = get(uri, accept, authorization, timeout, endpoint);
            int status = response.statusCode();
            if (status == 200) {
                return response;
            }
            byte[] errorBody = drain(response);
            if (status == 401 && !answeredChallenge && sameHost(uri, endpoint.base())) {
                authenticator.forget(authKey);
                String header =
                        response.headers().firstValue("WWW-Authenticate").orElse("");
                AuthChallenge challenge = AuthChallenge.parse(header)
                        .orElseThrow(() -> new RegistryException(
                                RegistryException.Reason.UNAUTHORIZED,
                                endpoint + " refused " + ref + " without a challenge: "
                                        + RegistryErrors.describe(status, errorBody)));
                authorization = authenticator.answer(authKey, challenge, ref.repository(), usable);
                answeredChallenge = true;
                continue;
            }
            if (status / 100 == 3 && response.headers().firstValue("Location").isPresent()) {
                if (++redirects > MAX_REDIRECTS) {
                    throw new RegistryException(RegistryException.Reason.INVALID, "too many redirects for " + uri);
                }
                URI next = uri.resolve(response.headers().firstValue("Location").get());
                if (!sameHost(next, endpoint.base())) {
                    // Blob storage behind a redirect gets a signed URL, never the registry's credentials.
                    authorization = null;
                }
                uri = next;
                continue;
            }
            String what =
                    path.startsWith("manifests/") ? "manifest " + ref : path.replace("blobs/", "blob ") + " of " + ref;
            throw new RegistryException(
                    RegistryErrors.reason(status),
                    endpoint + " answered " + RegistryErrors.describe(status, errorBody) + " for " + what);
        }
    }

    /** The wait for headers: the progress timeout, or {@code unwatched} when it is disabled. */
    private Duration headerTimeout(Duration unwatched) {
        if (!watchdog.enabled()) {
            return unwatched;
        }
        Duration progress = watchdog.timeout();
        return unwatched == null || progress.compareTo(unwatched) < 0 ? progress : unwatched;
    }

    private HttpResponse<InputStream> get(
            URI uri, String accept, String authorization, Duration timeout, RegistryConfig.Endpoint endpoint)
            throws RegistryException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).GET().header("Accept", accept).header("User-Agent", "berth");
        if (timeout != null) {
            request.timeout(timeout);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<InputStream> response =
                    http.client().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            log.debug("GET {} -> {}", uri, response.statusCode());
            return response;
        } catch (IOException | InterruptedException e) {
            throw RegistryErrors.sendFailed(endpoint, "GET", uri, timeout, e);
        }
    }

    private static boolean mayReceiveCredentials(
            RegistryConfig.Endpoint endpoint, ImageReference ref, RegistryCredentials credentials) {
        if (credentials.isEmpty() || endpoint.upstream()) {
            return true;
        }
        String server = credentials.serverAddress();
        if (server == null || server.isBlank()) {
            return false;
        }
        URI serverUri = URI.create(server.contains("://") ? server : "https://" + server);
        return Objects.equals(serverUri.getAuthority(), endpoint.base().getAuthority());
    }

    private static boolean sameHost(URI a, URI b) {
        return Objects.equals(a.getHost(), b.getHost()) && a.getPort() == b.getPort();
    }

    private byte[] readLimited(HttpResponse<InputStream> response, int limit, String what) throws RegistryException {
        try (InputStream in = watchdog.watch(response.body(), what)) {
            byte[] body = in.readNBytes(limit + 1);
            if (body.length > limit) {
                throw new RegistryException(
                        RegistryException.Reason.INVALID, what + " is larger than " + limit + " bytes");
            }
            return body;
        } catch (StalledReadException e) {
            throw new RegistryException(RegistryException.Reason.UNREACHABLE, e.getMessage(), e);
        } catch (IOException e) {
            throw new RegistryException(
                    RegistryException.Reason.UNREACHABLE, "reading " + what + " failed: " + e.getMessage(), e);
        }
    }

    private byte[] drain(HttpResponse<InputStream> response) {
        try (InputStream in = watchdog.watch(response.body(), "an error answer")) {
            return in.readNBytes(64 * 1024);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static RegistryException combine(
            List<RegistryConfig.Endpoint> endpoints, List<RegistryException> failures) {
        if (failures.size() == 1) {
            return failures.getFirst();
        }
        RegistryException primary = failures.getLast();
        boolean upstreamTried = endpoints.getLast().upstream();
        if (!upstreamTried) {
            primary = failures.stream()
                    .filter(f -> f.reason() != RegistryException.Reason.NOT_FOUND)
                    .findFirst()
                    .orElse(failures.getFirst());
        }
        StringBuilder message = new StringBuilder(primary.getMessage()).append(" (tried ");
        for (int i = 0; i < failures.size(); i++) {
            message.append(i == 0 ? "" : "; ").append(failures.get(i).getMessage());
        }
        return new RegistryException(primary.reason(), message.append(")").toString(), primary);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        watchdog.close();
    }
}
