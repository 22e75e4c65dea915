package dev.berth.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.v1.ImagesGrpc;
import dev.berth.api.v1.PushProgress;
import dev.berth.api.v1.PushRequest;
import dev.berth.api.v1.TagRequest;
import dev.berth.cri.v1.AuthConfig;
import dev.berth.cri.v1.Image;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.ImageStatusRequest;
import dev.berth.cri.v1.ListImagesRequest;
import dev.berth.cri.v1.PullImageRequest;
import dev.berth.daemon.BerthConfig;
import dev.berth.testing.DaemonFixture;
import dev.berth.testkit.Privileges;
import dev.berth.testkit.layer.LayerTar;
import dev.berth.testkit.registry.ImagePusher;
import dev.berth.testkit.registry.PushedImage;
import dev.berth.testkit.registry.RegistryFixture;
import dev.berth.testkit.registry.TestImage;
import dev.berth.testkit.registry.TestLayer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** berth.v1 Push and Tag through a real gRPC client, between real docker-registry instances. */
class PushIntegrationTest {

    private static RegistryFixture origin;
    private static RegistryFixture target;
    private static ImagePusher originPusher;
    private DaemonFixture daemon;

    @BeforeAll
    static void startRegistries() throws Exception {
        Privileges.requireRoot();
        Privileges.require(
                RegistryFixture.available(), "docker-registry is not installed (apt-get install docker-registry)");
        origin = RegistryFixture.start();
        target = RegistryFixture.start();
        originPusher = new ImagePusher(origin);
    }

    @AfterAll
    static void stopRegistries() throws Exception {
        if (origin != null) {
            origin.close();
        }
        if (target != null) {
            target.close();
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

    static TestImage twoLayers(String marker) {
        return TestImage.builder()
                .layer(layer("a-" + marker, "first " + marker))
                .layer(layer("b-" + marker, "second " + marker))
                .build();
    }

    static TestLayer layer(String name, String content) {
        return TestLayer.of(
                LayerTar.create()
                        .dir("app", 0755)
                        .file("app/" + name, content, 0644)
                        .build(),
                TestLayer.Compression.GZIP);
    }

    static ImagesGrpc.ImagesBlockingStub berth(DaemonFixture daemon) {
        return ImagesGrpc.newBlockingStub(daemon.channel()).withDeadlineAfter(120, TimeUnit.SECONDS);
    }

    static List<PushProgress> push(DaemonFixture daemon, String name, AuthConfig auth) {
        PushRequest.Builder request = PushRequest.newBuilder().setImage(name);
        if (auth != null) {
            request.setAuth(auth);
        }
        List<PushProgress> progress = new ArrayList<>();
        Iterator<PushProgress> stream = berth(daemon).push(request.build());
        stream.forEachRemaining(progress::add);
        return progress;
    }

    static String pull(DaemonFixture daemon, String reference) {
        return daemon.images()
                .pullImage(PullImageRequest.newBuilder()
                        .setImage(ImageSpec.newBuilder().setImage(reference))
                        .build())
                .getImageRef();
    }

    static void tag(DaemonFixture daemon, String source, String name) {
        berth(daemon)
                .tag(TagRequest.newBuilder().setSource(source).setTarget(name).build());
    }

    /** The final state of each blob the push reported, by digest. */
    static java.util.Map<String, PushProgress.State> outcomes(List<PushProgress> progress) {
        java.util.Map<String, PushProgress.State> outcomes = new java.util.TreeMap<>();
        for (PushProgress p : progress) {
            if (p.getState() != PushProgress.State.UPLOADING && p.getState() != PushProgress.State.MANIFEST) {
                outcomes.put(p.getDigest(), p.getState());
            }
        }
        return outcomes;
    }

    static List<String> blobs(PushedImage image) {
        List<String> blobs = new ArrayList<>(image.layerDigests());
        blobs.add(image.configDigest());
        return blobs;
    }

    @Test
    void pushUploadsEveryBlobAndAFreshDaemonPullsTheSameDigestBack() throws Exception {
        PushedImage pushed = originPusher.pushImage("src/roundtrip", "1", twoLayers("roundtrip"));
        String id = pull(daemon, pushed.reference());
        String copy = target.reference("copy/roundtrip:1");
        tag(daemon, pushed.reference(), copy);

        List<PushProgress> progress = push(daemon, copy, null);

        assertThat(outcomes(progress))
                .containsOnlyKeys(blobs(pushed))
                .allSatisfy((digest, state) -> assertThat(state).isEqualTo(PushProgress.State.PUSHED));
        PushProgress last = progress.getLast();
        assertThat(last.getState()).isEqualTo(PushProgress.State.MANIFEST);
        assertThat(last.getDigest()).isEqualTo(pushed.manifestDigest());
        assertThat(last.getSize()).isEqualTo(pushed.manifest().length);
        assertThat(last.getReference()).isEqualTo("1");
        try (DaemonFixture fresh = DaemonFixture.start()) {
            String byDigest = target.reference("copy/roundtrip@" + pushed.manifestDigest());
            assertThat(pull(fresh, byDigest)).isEqualTo(id);
            assertThat(fresh.images()
                            .imageStatus(ImageStatusRequest.newBuilder()
                                    .setImage(ImageSpec.newBuilder().setImage(byDigest))
                                    .build())
                            .getImage()
                            .getRepoDigestsList())
                    .contains(byDigest);
        }
    }

    @Test
    void secondPushAsksForEachBlobAndUploadsNothing() throws Exception {
        PushedImage pushed = originPusher.pushImage("src/again", "1", twoLayers("again"));
        pull(daemon, pushed.reference());
        String copy = target.reference("copy/again:1");
        tag(daemon, pushed.reference(), copy);
        push(daemon, copy, null);
        int before = target.requests().size();

        List<PushProgress> progress = push(daemon, copy, null);

        assertThat(outcomes(progress))
                .containsOnlyKeys(blobs(pushed))
                .allSatisfy((digest, state) -> assertThat(state).isEqualTo(PushProgress.State.EXISTS));
        assertThat(progress).noneMatch(p -> p.getState() == PushProgress.State.UPLOADING);
        List<String> second =
                target.requests().subList(before, target.requests().size());
        assertThat(second.stream().filter(r -> r.startsWith("HEAD /v2/copy/again/blobs/")))
                .hasSize(3)
                .allMatch(r -> r.endsWith(" 200"));
        assertThat(second).noneMatch(r -> r.contains("/blobs/uploads/"));
        assertThat(second).anyMatch(r -> r.equals("PUT /v2/copy/again/manifests/1 201"));
    }

    @Test
    void pushMountsBlobsFromTheImagesOtherRepositoryOnTheSameRegistry() throws Exception {
        PushedImage pushed = originPusher.pushImage("src/mount", "1", twoLayers("mount"));
        pull(daemon, pushed.reference());
        String mounted = origin.reference("elsewhere/mount:2");
        tag(daemon, pushed.reference(), mounted);
        int before = origin.requests().size();

        List<PushProgress> progress = push(daemon, mounted, null);

        assertThat(outcomes(progress))
                .containsOnlyKeys(blobs(pushed))
                .allSatisfy((digest, state) -> assertThat(state).isEqualTo(PushProgress.State.MOUNTED));
        assertThat(progress)
                .filteredOn(p -> p.getState() == PushProgress.State.MOUNTED)
                .allMatch(p -> p.getMountedFrom().equals("src/mount"));
        List<String> requests =
                origin.requests().subList(before, origin.requests().size());
        assertThat(requests)
                .filteredOn(r -> r.startsWith("POST /v2/elsewhere/mount/blobs/uploads/?mount="))
                .hasSize(3)
                .allMatch(r -> r.endsWith(" 201"));
        assertThat(requests).noneMatch(r -> r.startsWith("PUT /v2/elsewhere/mount/blobs/"));
        try (DaemonFixture fresh = DaemonFixture.start()) {
            pull(fresh, origin.reference("elsewhere/mount@" + pushed.manifestDigest()));
        }
    }

    @Test
    void aMountTheRegistryCannotDoBecomesAnUpload() throws Exception {
        PushedImage pushed = originPusher.pushImage("src/fallback", "1", twoLayers("fallback"));
        pull(daemon, pushed.reference());
        // a name on the target registry that was never pushed: a mount source whose repository has nothing
        tag(daemon, pushed.reference(), target.reference("ghost/fallback:1"));
        String copy = target.reference("copy/fallback:1");
        tag(daemon, pushed.reference(), copy);
        int before = target.requests().size();

        List<PushProgress> progress = push(daemon, copy, null);

        assertThat(outcomes(progress))
                .containsOnlyKeys(blobs(pushed))
                .allSatisfy((digest, state) -> assertThat(state).isEqualTo(PushProgress.State.PUSHED));
        List<String> requests =
                target.requests().subList(before, target.requests().size());
        assertThat(requests)
                .filteredOn(r -> r.startsWith("POST /v2/copy/fallback/blobs/uploads/?mount="))
                .hasSize(3)
                .allMatch(r -> r.contains("from=ghost%2Ffallback") && r.endsWith(" 202"));
        assertThat(requests)
                .filteredOn(r -> r.equals("POST /v2/copy/fallback/blobs/uploads/ 202"))
                .isEmpty();
        assertThat(requests)
                .filteredOn(r -> r.startsWith("PUT /v2/copy/fallback/blobs/uploads/"))
                .hasSize(3)
                .allMatch(r -> r.endsWith(" 201"));
        assertThat(daemon.images()
                        .imageStatus(ImageStatusRequest.newBuilder()
                                .setImage(ImageSpec.newBuilder().setImage(copy))
                                .build())
                        .getImage()
                        .getRepoDigestsList())
                .contains(target.reference("copy/fallback@" + pushed.manifestDigest()));
    }

    @Test
    void blobsAboveTheThresholdGoUpInChunksThatPullBackIntact() throws Exception {
        TestImage image = TestImage.builder()
                .layer(TestLayer.random(40_000, 4, 7, TestLayer.Compression.GZIP))
                .layer(layer("small", "small"))
                .build();
        PushedImage pushed = originPusher.pushImage("src/chunks", "1", image);
        try (DaemonFixture chunking =
                DaemonFixture.startWithImages(new BerthConfig.Images(null, null, null, 2048L, 4096L, 2))) {
            pull(chunking, pushed.reference());
            String copy = target.reference("copy/chunks:1");
            tag(chunking, pushed.reference(), copy);
            int before = target.requests().size();

            List<PushProgress> progress = push(chunking, copy, null);

            String big = pushed.layerDigests().getFirst();
            long bigSize =
                    TestLayer.random(40_000, 4, 7, TestLayer.Compression.GZIP).blob().length;
            assertThat(bigSize).isGreaterThan(3 * 4096);
            List<String> requests =
                    target.requests().subList(before, target.requests().size());
            assertThat(requests.stream().filter(r -> r.startsWith("PATCH /v2/copy/chunks/blobs/uploads/")))
                    .hasSize((int) ((bigSize + 4095) / 4096))
                    .allMatch(r -> r.endsWith(" 202"));
            assertThat(progress)
                    .filteredOn(p -> p.getDigest().equals(big) && p.getState() == PushProgress.State.UPLOADING)
                    .extracting(PushProgress::getOffset)
                    .isSorted()
                    .contains(bigSize);
            assertThat(outcomes(progress)).containsEntry(big, PushProgress.State.PUSHED);
            try (DaemonFixture fresh = DaemonFixture.start()) {
                pull(fresh, target.reference("copy/chunks@" + pushed.manifestDigest()));
            }
        }
    }

    @Test
    void aClientThatGoesAwayStopsThePushBeforeTheManifest() throws Exception {
        TestImage image = TestImage.builder()
                .layer(TestLayer.random(3_000_000, 8, 11, TestLayer.Compression.NONE))
                .build();
        PushedImage pushed = originPusher.pushImage("src/gone", "1", image);
        try (DaemonFixture chunking =
                DaemonFixture.startWithImages(new BerthConfig.Images(null, null, null, 1024L, 1024L, 1))) {
            pull(chunking, pushed.reference());
            String copy = target.reference("copy/gone:1");
            tag(chunking, pushed.reference(), copy);

            assertThatThrownBy(() -> berth(chunking)
                            .withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                            .push(PushRequest.newBuilder().setImage(copy).build())
                            .forEachRemaining(p -> {}))
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
            Thread.sleep(500);
            long patches = patches("copy/gone");
            Thread.sleep(1000);

            assertThat(patches).isPositive().isLessThan(3_000_000 / 1024);
            assertThat(patches("copy/gone")).isEqualTo(patches);
            assertThat(target.requests()).noneMatch(r -> r.startsWith("PUT /v2/copy/gone/manifests/"));
        }
    }

    private static long patches(String repository) throws Exception {
        return target.requests().stream()
                .filter(r -> r.startsWith("PATCH /v2/" + repository + "/"))
                .count();
    }

    @Test
    void pushToABasicAuthRegistryNeedsItsCredentials() throws Exception {
        try (RegistryFixture guarded = RegistryFixture.startWithBasicAuth("pusher", "s3cret")) {
            PushedImage pushed = originPusher.pushImage("src/basic", "1", twoLayers("basic"));
            pull(daemon, pushed.reference());
            String copy = guarded.reference("private/basic:1");
            tag(daemon, pushed.reference(), copy);

            assertThatThrownBy(() -> push(daemon, copy, null))
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
            assertThatThrownBy(() -> push(
                            daemon,
                            copy,
                            AuthConfig.newBuilder()
                                    .setUsername("pusher")
                                    .setPassword("wrong")
                                    .build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                        assertThat(e.getStatus().getDescription()).doesNotContain("wrong");
                    });
            List<PushProgress> progress = push(
                    daemon,
                    copy,
                    AuthConfig.newBuilder()
                            .setUsername("pusher")
                            .setPassword("s3cret")
                            .build());
            assertThat(progress.getLast().getDigest()).isEqualTo(pushed.manifestDigest());
            assertThat(guarded.requests()).contains("PUT /v2/private/basic/manifests/1 201");
        }
    }

    @Test
    void pushToATokenAuthRegistryAsksForAPushScope() throws Exception {
        try (RegistryFixture guarded = RegistryFixture.startWithTokenAuth("pusher", "s3cret")) {
            PushedImage pushed = originPusher.pushImage("src/token", "1", twoLayers("token"));
            pull(daemon, pushed.reference());
            String copy = guarded.reference("private/token:1");
            tag(daemon, pushed.reference(), copy);

            List<PushProgress> progress = push(
                    daemon,
                    copy,
                    AuthConfig.newBuilder()
                            .setUsername("pusher")
                            .setPassword("s3cret")
                            .build());

            assertThat(progress.getLast().getDigest()).isEqualTo(pushed.manifestDigest());
            assertThat(guarded.tokenRequests()).isEqualTo(1);
            assertThat(guarded.requests()).contains("PUT /v2/private/token/manifests/1 201");
        }
    }

    @Test
    void taggedImageListsUnderBothNames() throws Exception {
        PushedImage pushed = originPusher.pushImage("src/tagged", "1", twoLayers("tagged"));
        String id = pull(daemon, pushed.reference());

        tag(daemon, id.substring("sha256:".length(), 19), "example.com/team/tagged:v2");

        List<Image> images = daemon.images()
                .listImages(ListImagesRequest.getDefaultInstance())
                .getImagesList();
        assertThat(images).hasSize(1);
        assertThat(images.getFirst().getRepoTagsList())
                .containsExactlyInAnyOrder(pushed.reference(), "example.com/team/tagged:v2");
        assertThat(daemon.images()
                        .imageStatus(ImageStatusRequest.newBuilder()
                                .setImage(ImageSpec.newBuilder().setImage("example.com/team/tagged:v2"))
                                .build())
                        .getImage()
                        .getId())
                .isEqualTo(id);
    }

    @Test
    void unknownImagesAreNotFoundAndBadNamesInvalid() {
        assertThatThrownBy(() -> push(daemon, target.reference("nothing/here:1"), null))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThatThrownBy(() -> tag(daemon, "nothing:1", "example.com/x:1"))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThatThrownBy(() -> push(daemon, "Upper/Case:1", null))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThatThrownBy(() -> push(daemon, "", null))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThatThrownBy(() -> tag(daemon, "nothing:1", "example.com/x@sha256:" + "0".repeat(64)))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }
}
