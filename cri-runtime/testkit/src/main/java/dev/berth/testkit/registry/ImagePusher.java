package dev.berth.testkit.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Pushes images the tests build themselves through the registry's HTTP API (monolithic blob
 * uploads, manifests by tag or digest), as {@code docker push} would.
 */
public final class ImagePusher {

    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

    /** Null for an outside registry (an e2e cluster's), which the pusher reaches without credentials. */
    private final RegistryFixture registry;

    private final String hostPort;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final ObjectMapper json = new ObjectMapper();

    public ImagePusher(RegistryFixture registry) {
        this.registry = registry;
        this.hostPort = registry.hostPort();
    }

    private ImagePusher(String hostPort) {
        this.registry = null;
        this.hostPort = hostPort;
    }

    /** Pushes over plain HTTP, without credentials, to a registry this test did not start ({@code host:port}). */
    public static ImagePusher toOpenRegistry(String hostPort) {
        if (hostPort == null || !hostPort.matches("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?")) {
            throw new IllegalArgumentException("registry must be host[:port], got '" + hostPort + "'");
        }
        return new ImagePusher(hostPort);
    }

    public PushedImage pushImage(String repo, String tag, TestImage image) throws IOException {
        boolean oci = image.style() == TestImage.MediaStyle.OCI;
        byte[] config = config(image);
        String configDigest = pushBlob(repo, config);
        ObjectNode manifest = json.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", oci ? OCI_MANIFEST : DOCKER_MANIFEST);
        ObjectNode configDescriptor = manifest.putObject("config");
        configDescriptor.put(
                "mediaType",
                oci ? "application/vnd.oci.image.config.v1+json" : "application/vnd.docker.container.image.v1+json");
        configDescriptor.put("digest", configDigest);
        configDescriptor.put("size", config.length);
        ArrayNode layers = manifest.putArray("layers");
        List<String> layerDigests = new ArrayList<>();
        long size = config.length;
        for (TestLayer layer : image.layers()) {
            String digest = pushBlob(repo, layer.blob());
            layerDigests.add(digest);
            size += layer.blob().length;
            ObjectNode descriptor = layers.addObject();
            descriptor.put("mediaType", layerMediaType(layer, oci));
            descriptor.put("digest", digest);
            descriptor.put("size", layer.blob().length);
        }
        byte[] manifestBytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
        String manifestDigest = TestLayer.sha256(manifestBytes);
        putManifest(repo, tag == null ? manifestDigest : tag, oci ? OCI_MANIFEST : DOCKER_MANIFEST, manifestBytes);
        List<String> diffIds = image.layers().stream().map(TestLayer::diffId).toList();
        return new PushedImage(
                reference(repo + (tag == null ? "@" + manifestDigest : ":" + tag)),
                manifestDigest,
                configDigest,
                layerDigests,
                diffIds,
                manifestBytes,
                config,
                size);
    }

    /** Pushes each image by digest and an index naming them; {@code attestation} adds a BuildKit-style entry. */
    public PushedIndex pushIndex(String repo, String tag, List<TestImage> images, boolean oci, boolean attestation)
            throws IOException {
        ObjectNode index = json.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", oci ? OCI_INDEX : DOCKER_LIST);
        ArrayNode manifests = index.putArray("manifests");
        List<PushedImage> pushed = new ArrayList<>();
        for (TestImage image : images) {
            PushedImage p = pushImage(repo, null, image);
            pushed.add(p);
            ObjectNode entry = manifests.addObject();
            entry.put("mediaType", image.style() == TestImage.MediaStyle.OCI ? OCI_MANIFEST : DOCKER_MANIFEST);
            entry.put("digest", p.manifestDigest());
            entry.put("size", p.manifest().length);
            ObjectNode platform = entry.putObject("platform");
            platform.put("architecture", image.architecture());
            platform.put("os", image.os());
            if (image.variant() != null) {
                platform.put("variant", image.variant());
            }
        }
        if (attestation) {
            PushedImage att = pushImage(
                    repo,
                    null,
                    TestImage.builder().platform("unknown", "unknown", null).build());
            ObjectNode entry = manifests.addObject();
            entry.put("mediaType", OCI_MANIFEST);
            entry.put("digest", att.manifestDigest());
            entry.put("size", att.manifest().length);
            entry.putObject("platform").put("architecture", "unknown").put("os", "unknown");
            entry.putObject("annotations")
                    .put("vnd.docker.reference.type", "attestation-manifest")
                    .put("vnd.docker.reference.digest", pushed.getFirst().manifestDigest());
        }
        byte[] bytes = json.writeValueAsBytes(index);
        putManifest(repo, tag, oci ? OCI_INDEX : DOCKER_LIST, bytes);
        return new PushedIndex(reference(repo + ":" + tag), TestLayer.sha256(bytes), pushed);
    }

    public void pushRawManifest(String repo, String tag, String mediaType, byte[] bytes) throws IOException {
        putManifest(repo, tag, mediaType, bytes);
    }

    /** Uploads a blob unless the registry has it; returns its digest. */
    public String pushBlob(String repo, byte[] data) throws IOException {
        String digest = TestLayer.sha256(data);
        HttpResponse<byte[]> head = send(HttpRequest.newBuilder(uri("/v2/" + repo + "/blobs/" + digest))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        if (head.statusCode() == 200) {
            return digest;
        }
        HttpResponse<byte[]> start = send(HttpRequest.newBuilder(uri("/v2/" + repo + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        expect(start, 202, "starting the upload of " + digest);
        String location = start.headers().firstValue("Location").orElseThrow();
        URI upload = baseUri().resolve(location);
        String separator = upload.getQuery() == null ? "?" : "&";
        HttpResponse<byte[]> put = send(HttpRequest.newBuilder(URI.create(upload + separator + "digest=" + digest))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)));
        expect(put, 201, "uploading " + digest);
        return digest;
    }

    private void putManifest(String repo, String reference, String mediaType, byte[] bytes) throws IOException {
        HttpResponse<byte[]> put = send(HttpRequest.newBuilder(uri("/v2/" + repo + "/manifests/" + reference))
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
        expect(put, 201, "putting manifest " + repo + ":" + reference);
    }

    private byte[] config(TestImage image) throws IOException {
        ObjectNode config = json.createObjectNode();
        config.put("created", "2026-01-01T00:00:00Z");
        config.put("architecture", image.architecture());
        config.put("os", image.os());
        if (image.variant() != null) {
            config.put("variant", image.variant());
        }
        ObjectNode c = config.putObject("config");
        if (image.user() != null) {
            c.put("User", image.user());
        }
        image.env().forEach(c.putArray("Env")::add);
        if (image.entrypoint() != null) {
            image.entrypoint().forEach(c.putArray("Entrypoint")::add);
        }
        if (image.cmd() != null) {
            image.cmd().forEach(c.putArray("Cmd")::add);
        }
        if (image.workingDir() != null) {
            c.put("WorkingDir", image.workingDir());
        }
        if (!image.exposedPorts().isEmpty()) {
            ObjectNode ports = c.putObject("ExposedPorts");
            image.exposedPorts().forEach(p -> ports.putObject(p));
        }
        if (!image.labels().isEmpty()) {
            ObjectNode labels = c.putObject("Labels");
            image.labels().forEach(labels::put);
        }
        if (image.stopSignal() != null) {
            c.put("StopSignal", image.stopSignal());
        }
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        List<String> diffIds = image.overrideDiffIds() != null
                ? image.overrideDiffIds()
                : image.layers().stream().map(TestLayer::diffId).toList();
        diffIds.forEach(rootfs.putArray("diff_ids")::add);
        ArrayNode history = config.putArray("history");
        image.layers()
                .forEach(l -> history.addObject()
                        .put("created", "2026-01-01T00:00:00Z")
                        .put("created_by", "berth testkit"));
        return json.writeValueAsBytes(config);
    }

    private static String layerMediaType(TestLayer layer, boolean oci) {
        if (!oci) {
            if (layer.compression() != TestLayer.Compression.GZIP) {
                throw new IllegalArgumentException("Docker schema 2 layers are gzip only");
            }
            return "application/vnd.docker.image.rootfs.diff.tar.gzip";
        }
        return switch (layer.compression()) {
            case NONE -> "application/vnd.oci.image.layer.v1.tar";
            case GZIP -> "application/vnd.oci.image.layer.v1.tar+gzip";
            case ZSTD -> "application/vnd.oci.image.layer.v1.tar+zstd";
        };
    }

    private URI uri(String path) {
        return baseUri().resolve(path);
    }

    private URI baseUri() {
        return URI.create("http://" + hostPort);
    }

    private String reference(String repoAndTag) {
        return hostPort + "/" + repoAndTag;
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException {
        request.timeout(Duration.ofSeconds(60));
        HttpRequest built = request.build();
        String path = built.uri().getPath();
        boolean perRepository = path.startsWith("/v2/") && path.contains("/blobs/") || path.contains("/manifests/");
        String authorization = perRepository && registry != null ? registry.authorizationFor(repository(path)) : null;
        if (authorization != null) {
            request.header("Authorization", authorization);
            built = request.build();
        }
        try {
            return http.send(built, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted talking to the registry", e);
        }
    }

    private static String repository(String path) {
        String rest = path.substring("/v2/".length());
        int end = rest.indexOf("/blobs/") >= 0 ? rest.indexOf("/blobs/") : rest.indexOf("/manifests/");
        return rest.substring(0, end);
    }

    private static void expect(HttpResponse<byte[]> response, int status, String what) throws IOException {
        if (response.statusCode() != status) {
            throw new IOException(what + ": registry answered " + response.statusCode() + " "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
    }
}
