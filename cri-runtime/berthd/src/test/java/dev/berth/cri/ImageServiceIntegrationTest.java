package dev.berth.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.cri.v1.AuthConfig;
import dev.berth.cri.v1.FilesystemUsage;
import dev.berth.cri.v1.Image;
import dev.berth.cri.v1.ImageFilter;
import dev.berth.cri.v1.ImageFsInfoRequest;
import dev.berth.cri.v1.ImageServiceGrpc;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.ImageStatusRequest;
import dev.berth.cri.v1.ImageStatusResponse;
import dev.berth.cri.v1.ListImagesRequest;
import dev.berth.cri.v1.PullImageRequest;
import dev.berth.cri.v1.RemoveImageRequest;
import dev.berth.daemon.BerthConfig;
import dev.berth.sys.Syscalls;
import dev.berth.testing.CountingProxy;
import dev.berth.testing.DaemonFixture;
import dev.berth.testkit.Privileges;
import dev.berth.testkit.layer.LayerTar;
import dev.berth.testkit.registry.ImagePusher;
import dev.berth.testkit.registry.PushedImage;
import dev.berth.testkit.registry.PushedIndex;
import dev.berth.testkit.registry.RegistryFixture;
import dev.berth.testkit.registry.TestImage;
import dev.berth.testkit.registry.TestLayer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** berthd's CRI ImageService through a real gRPC client, against Debian's real docker-registry. */
class ImageServiceIntegrationTest {

    private static RegistryFixture registry;
    private static ImagePusher pusher;
    private DaemonFixture daemon;

    @BeforeAll
    static void startRegistry() throws Exception {
        Privileges.requireRoot();
        Privileges.require(
                RegistryFixture.available(), "docker-registry is not installed (apt-get install docker-registry)");
        registry = RegistryFixture.start();
        pusher = new ImagePusher(registry);
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    @BeforeEach
    void startDaemon() throws Exception {
        daemon = DaemonFixture.start();
    }

    @AfterEach
    void stopDaemon() throws Exception {
        daemon.close();
    }

    static TestLayer layer(String name, String content, TestLayer.Compression compression) {
        return TestLayer.of(
                LayerTar.create()
                        .dir("app", 0755)
                        .file("app/" + name, content, 0644)
                        .build(),
                compression);
    }

    private static String pull(ImageServiceGrpc.ImageServiceBlockingStub images, String reference) {
        return images.pullImage(
                        PullImageRequest.newBuilder().setImage(spec(reference)).build())
                .getImageRef();
    }

    private static ImageSpec spec(String image) {
        return ImageSpec.newBuilder().setImage(image).build();
    }

    private ImageStatusResponse status(String image, boolean verbose) {
        return daemon.images()
                .imageStatus(ImageStatusRequest.newBuilder()
                        .setImage(spec(image))
                        .setVerbose(verbose)
                        .build());
    }

    private List<Image> list() {
        return daemon.images()
                .listImages(ListImagesRequest.getDefaultInstance())
                .getImagesList();
    }

    private long count(String sub) throws Exception {
        Path dir = daemon.root().resolve(sub);
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> !f.getFileName().toString().startsWith("."))
                    .count();
        }
    }

    private static Status.Code codeOf(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
        return Status.Code.OK;
    }

    @Test
    void pulledImageIsListedByIdTagAndDigestWithItsConfig() throws Exception {
        PushedImage pushed = pusher.pushImage(
                "team/web",
                "v1",
                TestImage.builder()
                        .layer(layer("a.txt", "alpha", TestLayer.Compression.GZIP))
                        .layer(layer("b.txt", "beta", TestLayer.Compression.GZIP))
                        .user("1000")
                        .env("PATH=/bin", "MODE=test")
                        .entrypoint("/bin/web")
                        .cmd("--port", "8080")
                        .workingDir("/srv")
                        .exposedPort("8080/tcp")
                        .label("team", "web")
                        .stopSignal("SIGQUIT")
                        .build());

        String id = pull(daemon.images(), pushed.reference());

        assertThat(id).isEqualTo(pushed.configDigest());
        Image image = list().getFirst();
        String name = registry.hostPort() + "/team/web";
        assertThat(image.getId()).isEqualTo(id);
        assertThat(image.getRepoTagsList()).containsExactly(name + ":v1");
        assertThat(image.getRepoDigestsList()).containsExactly(name + "@" + pushed.manifestDigest());
        assertThat(image.getSize()).isEqualTo(pushed.size());
        assertThat(image.getUid().getValue()).isEqualTo(1000);
        for (String lookup : List.of(
                pushed.reference(),
                id,
                id.substring("sha256:".length()),
                name + "@" + pushed.manifestDigest(),
                id.substring(7, 20))) {
            assertThat(status(lookup, false).getImage().getId()).as(lookup).isEqualTo(id);
        }
        JsonNode info = new ObjectMapper().readTree(status(id, true).getInfoOrThrow("info"));
        JsonNode config = info.path("imageSpec").path("config");
        assertThat(config.path("User").asText()).isEqualTo("1000");
        assertThat(config.path("Env").toString()).contains("MODE=test");
        assertThat(config.path("Entrypoint").get(0).asText()).isEqualTo("/bin/web");
        assertThat(config.path("Cmd").toString()).contains("--port");
        assertThat(config.path("WorkingDir").asText()).isEqualTo("/srv");
        assertThat(config.path("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(config.path("Labels").path("team").asText()).isEqualTo("web");
        assertThat(config.path("StopSignal").asText()).isEqualTo("SIGQUIT");
        assertThat(daemon.images()
                        .listImages(ListImagesRequest.newBuilder()
                                .setFilter(ImageFilter.newBuilder().setImage(spec(pushed.reference())))
                                .build())
                        .getImagesCount())
                .isEqualTo(1);
        assertThat(daemon.images()
                        .listImages(ListImagesRequest.newBuilder()
                                .setFilter(ImageFilter.newBuilder().setImage(spec("other:v1")))
                                .build())
                        .getImagesCount())
                .isZero();
        assertThat(status("absent:v9", false).hasImage()).isFalse();
    }

    @Test
    void multiArchIndexPullsTheNodePlatformAndKeepsTheIndexDigest() throws Exception {
        TestImage arm = TestImage.builder()
                .platform("linux", "arm64", "v8")
                .layer(layer("arch", "arm64", TestLayer.Compression.GZIP))
                .build();
        TestImage amd = TestImage.builder()
                .platform("linux", "amd64", null)
                .layer(layer("arch", "amd64", TestLayer.Compression.GZIP))
                .build();
        PushedIndex index = pusher.pushIndex("multi/arch", "1.0", List.of(arm, amd), true, true);

        String id = pull(daemon.images(), index.reference());

        assertThat(id).isEqualTo(index.images().get(1).configDigest());
        assertThat(list().getFirst().getRepoDigestsList())
                .containsExactly(registry.hostPort() + "/multi/arch@" + index.indexDigest());
        String diffId = index.images().get(1).diffIds().getFirst();
        Path file =
                daemon.root().resolve("snapshots").resolve(diffId.substring(7)).resolve("fs/app/arch");
        assertThat(Files.readString(file)).isEqualTo("amd64");
    }

    @Test
    void zstdUncompressedAndDockerMediaTypesAllUnpack() throws Exception {
        List<PushedImage> images = List.of(
                pusher.pushImage(
                        "media/zstd",
                        "1",
                        TestImage.builder()
                                .layer(layer("z", "zstd!", TestLayer.Compression.ZSTD))
                                .build()),
                pusher.pushImage(
                        "media/plain",
                        "1",
                        TestImage.builder()
                                .layer(layer("p", "plain!", TestLayer.Compression.NONE))
                                .build()),
                pusher.pushImage(
                        "media/docker",
                        "1",
                        TestImage.builder()
                                .style(TestImage.MediaStyle.DOCKER)
                                .layer(layer("d", "docker!", TestLayer.Compression.GZIP))
                                .build()));

        for (PushedImage image : images) {
            pull(daemon.images(), image.reference());
            Path fs = daemon.root()
                    .resolve("snapshots")
                    .resolve(image.diffIds().getFirst().substring(7))
                    .resolve("fs/app");
            try (Stream<Path> files = Files.list(fs)) {
                assertThat(Files.readString(files.findFirst().orElseThrow())).endsWith("!");
            }
        }
        assertThat(list()).hasSize(3);
    }

    @Test
    void whiteoutsAndOpaqueDirectoriesBecomeOverlayMarkers() throws Exception {
        TestLayer base = TestLayer.of(
                LayerTar.create()
                        .dir("a", 0755)
                        .file("a/x", "x", 0644)
                        .dir("b", 0755)
                        .file("b/y", "y", 0644)
                        .build(),
                TestLayer.Compression.GZIP);
        TestLayer top = TestLayer.of(
                LayerTar.create()
                        .dir("a", 0755)
                        .whiteout("a/x")
                        .dir("b", 0755)
                        .opaque("b")
                        .file("b/new", "n", 0644)
                        .build(),
                TestLayer.Compression.GZIP);
        PushedImage pushed = pusher.pushImage(
                "overlay/wh", "1", TestImage.builder().layer(base).layer(top).build());

        pull(daemon.images(), pushed.reference());

        String chainId = dev.berth.snapshot.ChainIds.of(pushed.diffIds().stream()
                        .map(dev.berth.image.Digest::parse)
                        .toList())
                .get(1)
                .encoded();
        Path fs = daemon.root().resolve("snapshots").resolve(chainId).resolve("fs");
        Path whiteout = fs.resolve("a/x");
        assertThat(Files.readAttributes(whiteout, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS))
                .containsEntry("rdev", 0L)
                .hasEntrySatisfying(
                        "mode", mode -> assertThat(((Integer) mode) & 0170000).isEqualTo(0020000));
        assertThat(new Syscalls().lgetxattr(fs.resolve("b"), "trusted.overlay.opaque"))
                .hasValue("y".getBytes(StandardCharsets.US_ASCII));
        assertThat(Files.readString(fs.resolve("b/new"))).isEqualTo("n");
    }

    @Test
    void sharedLayersAreStoredOnceAndFreedWithTheirLastImage() throws Exception {
        TestLayer shared = layer("shared", "common base", TestLayer.Compression.GZIP);
        PushedImage a = pusher.pushImage(
                "share/a",
                "1",
                TestImage.builder()
                        .layer(shared)
                        .layer(layer("a", "A", TestLayer.Compression.GZIP))
                        .build());
        PushedImage b = pusher.pushImage(
                "share/b",
                "1",
                TestImage.builder()
                        .layer(shared)
                        .layer(layer("b", "B", TestLayer.Compression.GZIP))
                        .build());

        pull(daemon.images(), a.reference());
        pull(daemon.images(), b.reference());

        assertThat(count("snapshots")).isEqualTo(3);
        assertThat(count("content/blobs/sha256")).isEqualTo(7);
        daemon.images()
                .removeImage(RemoveImageRequest.newBuilder()
                        .setImage(spec(a.reference()))
                        .build());
        assertThat(count("snapshots")).isEqualTo(2);
        assertThat(count("content/blobs/sha256")).isEqualTo(4);
        daemon.images()
                .removeImage(RemoveImageRequest.newBuilder()
                        .setImage(spec(b.configDigest()))
                        .build());
        assertThat(count("snapshots")).isZero();
        assertThat(count("content/blobs/sha256")).isZero();
        assertThat(list()).isEmpty();
    }

    @Test
    void removingByOneNameRemovesTheImageWithAllItsNamesAndRemovingTwiceSucceeds() throws Exception {
        TestImage image = TestImage.builder()
                .layer(layer("same", "same", TestLayer.Compression.GZIP))
                .build();
        PushedImage v1 = pusher.pushImage("names/app", "v1", image);
        PushedImage v2 = pusher.pushImage("names/app", "v2", image);
        pull(daemon.images(), v1.reference());
        pull(daemon.images(), v2.reference());
        assertThat(list())
                .singleElement()
                .satisfies(i -> assertThat(i.getRepoTagsCount()).isEqualTo(2));

        daemon.images()
                .removeImage(RemoveImageRequest.newBuilder()
                        .setImage(spec(v1.reference()))
                        .build());
        daemon.images()
                .removeImage(RemoveImageRequest.newBuilder()
                        .setImage(spec(v1.reference()))
                        .build());

        assertThat(status(v2.reference(), false).hasImage()).isFalse();
        assertThat(list()).isEmpty();
    }

    @Test
    void pullFailuresCarryTheRightStatusCodes() throws Exception {
        pusher.pushImage(
                "errors/app",
                "v1",
                TestImage.builder()
                        .layer(layer("e", "e", TestLayer.Compression.GZIP))
                        .build());

        assertThat(codeOf(() -> pull(daemon.images(), registry.reference("errors/none:v1"))))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(codeOf(() -> pull(daemon.images(), registry.reference("errors/app:v404"))))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(codeOf(() -> pull(daemon.images(), "Upper/Case"))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(codeOf(() -> pull(daemon.images(), "app@sha256:abc"))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(codeOf(() -> pull(daemon.images(), ""))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(codeOf(() -> pull(daemon.images(), "127.0.0.1:1/closed:v1"))).isEqualTo(Status.Code.UNAVAILABLE);
    }

    @Test
    void corruptedBlobIsDataLossAndLeavesNothingStored() throws Exception {
        PushedImage pushed = pusher.pushImage(
                "corrupt/blob",
                "1",
                TestImage.builder()
                        .layer(layer("c", "x".repeat(5000), TestLayer.Compression.GZIP))
                        .build());
        Path blob = registry.blobFile(pushed.layerDigests().getFirst());
        byte[] bytes = Files.readAllBytes(blob);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(blob, bytes);

        assertThatThrownBy(() -> pull(daemon.images(), pushed.reference()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isIn(Status.Code.DATA_LOSS));

        assertThat(list()).isEmpty();
        assertThat(count("snapshots")).isZero();
        assertThat(count("content/ingest")).isZero();
        assertThat(Files.exists(daemon.root()
                        .resolve("content/blobs/sha256")
                        .resolve(pushed.layerDigests().getFirst().substring(7))))
                .isFalse();
    }

    @Test
    void layerThatDoesNotMatchTheConfigsDiffIdIsDataLoss() throws Exception {
        PushedImage pushed = pusher.pushImage(
                "corrupt/diffid",
                "1",
                TestImage.builder()
                        .layer(layer("d", "d", TestLayer.Compression.GZIP))
                        .overrideDiffIds(List.of("sha256:" + "0".repeat(64)))
                        .build());

        assertThatThrownBy(() -> pull(daemon.images(), pushed.reference()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DATA_LOSS));
        assertThat(count("snapshots")).isZero();
        assertThat(list()).isEmpty();
    }

    @Test
    void layerEscapingItsRootIsRefusedNamingTheEntry() throws Exception {
        byte[] hostile = LayerTar.create()
                .symlink("evil", "/")
                .file("evil/etc/berth-escape", "pwned", 0644)
                .build();
        PushedImage pushed = pusher.pushImage(
                "hostile/slip",
                "1",
                TestImage.builder()
                        .layer(TestLayer.of(hostile, TestLayer.Compression.GZIP))
                        .build());

        assertThatThrownBy(() -> pull(daemon.images(), pushed.reference()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION))
                .hasMessageContaining("evil/etc/berth-escape");
        assertThat(Files.exists(Path.of("/etc/berth-escape"))).isFalse();
        assertThat(count("snapshots")).isZero();
    }

    @Test
    void basicAuthRegistryNeedsTheRequestsCredentials() throws Exception {
        try (RegistryFixture secured = RegistryFixture.startWithBasicAuth("alice", "s3cret")) {
            PushedImage pushed = new ImagePusher(secured)
                    .pushImage(
                            "private/app",
                            "1",
                            TestImage.builder()
                                    .layer(layer("p", "private", TestLayer.Compression.GZIP))
                                    .build());
            PullImageRequest anonymous = PullImageRequest.newBuilder()
                    .setImage(spec(pushed.reference()))
                    .build();

            assertThatThrownBy(() -> daemon.images().pullImage(anonymous))
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
            assertThatThrownBy(() -> daemon.images()
                            .pullImage(anonymous.toBuilder()
                                    .setAuth(AuthConfig.newBuilder()
                                            .setUsername("alice")
                                            .setPassword("wrong"))
                                    .build()))
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED))
                    .hasMessageNotContaining("wrong");

            daemon.images()
                    .pullImage(anonymous.toBuilder()
                            .setAuth(
                                    AuthConfig.newBuilder().setUsername("alice").setPassword("s3cret"))
                            .build());
            daemon.images()
                    .removeImage(RemoveImageRequest.newBuilder()
                            .setImage(spec(pushed.reference()))
                            .build());
            String auth = Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
            String id = daemon.images()
                    .pullImage(anonymous.toBuilder()
                            .setAuth(AuthConfig.newBuilder().setAuth(auth).setServerAddress(secured.hostPort()))
                            .build())
                    .getImageRef();
            assertThat(id).isEqualTo(pushed.configDigest());
        }
    }

    @Test
    void tokenAuthRegistryIsPulledThroughTheAnonymousBearerFlowWithOneTokenRequest() throws Exception {
        try (RegistryFixture hub = RegistryFixture.startWithTokenAuth(null, null)) {
            PushedImage pushed = new ImagePusher(hub)
                    .pushImage(
                            "library/tokened",
                            "1",
                            TestImage.builder()
                                    .layer(layer("t1", "token one", TestLayer.Compression.GZIP))
                                    .layer(layer("t2", "token two", TestLayer.Compression.ZSTD))
                                    .build());

            String id = pull(daemon.images(), pushed.reference());

            assertThat(id).isEqualTo(pushed.configDigest());
            assertThat(hub.tokenRequests()).isEqualTo(1);
        }
    }

    @Test
    void tokenAuthRegistryForAUserRefusesAnonymousPullsAndAcceptsTheUser() throws Exception {
        try (RegistryFixture hub = RegistryFixture.startWithTokenAuth("bob", "t0ken-pass")) {
            PushedImage pushed = new ImagePusher(hub)
                    .pushImage(
                            "bob/private",
                            "1",
                            TestImage.builder()
                                    .layer(layer("b", "bob", TestLayer.Compression.GZIP))
                                    .build());
            PullImageRequest request = PullImageRequest.newBuilder()
                    .setImage(spec(pushed.reference()))
                    .build();

            assertThatThrownBy(() -> daemon.images().pullImage(request))
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED))
                    .hasMessageContaining("incorrect username or password");

            String id = daemon.images()
                    .pullImage(request.toBuilder()
                            .setAuth(AuthConfig.newBuilder().setUsername("bob").setPassword("t0ken-pass"))
                            .build())
                    .getImageRef();
            assertThat(id).isEqualTo(pushed.configDigest());
        }
    }

    @Test
    void dockerHubNamesComeFromAConfiguredMirrorAndConcurrentPullsShareOneDownload() throws Exception {
        PushedImage pushed = pusher.pushImage(
                "library/busybox",
                "latest",
                TestImage.builder()
                        .layer(layer("one", "1".repeat(200_000), TestLayer.Compression.GZIP))
                        .layer(layer("two", "2".repeat(200_000), TestLayer.Compression.GZIP))
                        .build());
        try (CountingProxy mirror = new CountingProxy(registry.baseUri());
                DaemonFixture mirrored = DaemonFixture.start(Map.of(
                        "docker.io",
                        new BerthConfig.Registry(List.of(mirror.uri().toString()), true, null)))) {
            mirror.slowBlobs(20);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<String>> pulls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                pulls.add(pool.submit(() -> pull(mirrored.images(), "busybox")));
            }
            for (Future<String> f : pulls) {
                assertThat(f.get()).isEqualTo(pushed.configDigest());
            }
            pool.shutdown();

            for (String layer : pushed.layerDigests()) {
                assertThat(mirror.count("GET /v2/library/busybox/blobs/" + layer))
                        .as(layer)
                        .isEqualTo(1);
            }
            Image image = mirrored.images()
                    .listImages(ListImagesRequest.getDefaultInstance())
                    .getImages(0);
            assertThat(image.getRepoTagsList()).containsExactly("docker.io/library/busybox:latest");
        }
    }

    @Test
    void imageFsInfoCountsBytesAndInodesOfTheStore() throws Exception {
        PushedImage pushed = pusher.pushImage(
                "fsinfo/app",
                "1",
                TestImage.builder()
                        .layer(layer("big", "z".repeat(100_000), TestLayer.Compression.GZIP))
                        .build());
        FilesystemUsage before = daemon.images()
                .imageFsInfo(ImageFsInfoRequest.getDefaultInstance())
                .getImageFilesystems(0);

        pull(daemon.images(), pushed.reference());

        FilesystemUsage after = daemon.images()
                .imageFsInfo(ImageFsInfoRequest.getDefaultInstance())
                .getImageFilesystems(0);
        assertThat(before.getUsedBytes().getValue()).isZero();
        assertThat(after.getUsedBytes().getValue()).isGreaterThan(100_000);
        assertThat(after.getInodesUsed().getValue()).isGreaterThanOrEqualTo(5);
        assertThat(after.getTimestamp()).isPositive();
        assertThat(after.getFsId().getMountpoint()).isEqualTo(daemon.root().toString());
    }
}
