package dev.berth.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cri.v1.ImageServiceGrpc;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.PullImageRequest;
import dev.berth.daemon.BerthConfig;
import dev.berth.testing.DaemonFixture;
import dev.berth.testkit.Privileges;
import dev.berth.testkit.layer.LayerTar;
import dev.berth.testkit.registry.ImagePusher;
import dev.berth.testkit.registry.PushedImage;
import dev.berth.testkit.registry.RegistryFixture;
import dev.berth.testkit.registry.StallingRegistry;
import dev.berth.testkit.registry.TestImage;
import dev.berth.testkit.registry.TestLayer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pulls finish or fail in bounded time: against a registry that stalls before headers, mid-manifest and
 * mid-blob, with {@code images.pullProgressTimeout} short, and with clients that give up.
 */
class PullProgressIntegrationTest {

    private static final Duration PROGRESS_TIMEOUT = Duration.ofSeconds(1);

    private static RegistryFixture upstream;
    private static ImagePusher pusher;
    private static PushedImage pushed;
    private StallingRegistry registry;
    private DaemonFixture daemon;
    private final ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeAll
    static void startRegistry() throws Exception {
        Privileges.requireRoot();
        Privileges.require(
                RegistryFixture.available(), "docker-registry is not installed (apt-get install docker-registry)");
        upstream = RegistryFixture.start();
        pusher = new ImagePusher(upstream);
        pushed = pusher.pushImage(
                "team/stall",
                "v1",
                TestImage.builder()
                        .layer(TestLayer.of(
                                LayerTar.create()
                                        .dir("app", 0755)
                                        .file("app/data", "x".repeat(4096), 0644)
                                        .build(),
                                TestLayer.Compression.GZIP))
                        .build());
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (upstream != null) {
            upstream.close();
        }
    }

    @BeforeEach
    void startStallingRegistry() throws Exception {
        registry = new StallingRegistry(upstream);
    }

    @AfterEach
    void stop() throws Exception {
        clients.shutdownNow();
        if (daemon != null) {
            daemon.close();
        }
        registry.close();
    }

    private void startDaemon(Duration progressTimeout) throws Exception {
        daemon = DaemonFixture.startWithImages(new BerthConfig.Images(null, null, progressTimeout.toMillis() + "ms"));
    }

    private String reference() {
        return registry.reference("team/stall:v1");
    }

    private String layerPath() {
        return "/blobs/" + pushed.layerDigests().getFirst();
    }

    private static String pull(ImageServiceGrpc.ImageServiceBlockingStub images, String reference) {
        return images.pullImage(PullImageRequest.newBuilder()
                        .setImage(ImageSpec.newBuilder().setImage(reference))
                        .build())
                .getImageRef();
    }

    private void assertStallFailsWithinTimeout() {
        long started = System.nanoTime();
        assertThatThrownBy(() -> pull(daemon.images(), reference()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(e.getStatus().getDescription()).contains(registry.hostPort());
                });
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(took).isBetween(PROGRESS_TIMEOUT.minusMillis(100), PROGRESS_TIMEOUT.plusSeconds(5));
    }

    private long ingests() throws Exception {
        try (Stream<Path> files = Files.list(daemon.root().resolve("content/ingest"))) {
            return files.count();
        }
    }

    /** Half-unpacked layers, which a cancelled pull removes with its ingests. */
    private long snapshotTemporaries() throws Exception {
        try (Stream<Path> files = Files.list(daemon.root().resolve("snapshots"))) {
            return files.filter(f -> f.getFileName().toString().startsWith(".tmp-"))
                    .count();
        }
    }

    private void awaitIngests(long expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ingests() != expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(ingests()).isEqualTo(expected);
    }

    private void awaitRequests(String pathPart, long count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (registry.count(pathPart) < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(registry.count(pathPart)).isEqualTo(count);
    }

    @Test
    void registryStallingBeforeHeadersFailsThePullWithinTheProgressTimeout() throws Exception {
        startDaemon(PROGRESS_TIMEOUT);
        registry.stallBeforeHeaders("/manifests/");
        assertStallFailsWithinTimeout();
    }

    @Test
    void registryStallingMidManifestFailsThePullWithinTheProgressTimeout() throws Exception {
        startDaemon(PROGRESS_TIMEOUT);
        registry.stallMidBody("/manifests/");
        assertStallFailsWithinTimeout();
    }

    @Test
    void registryStallingMidBlobFailsThePullWithinTheProgressTimeoutAndKeepsNoIngest() throws Exception {
        startDaemon(PROGRESS_TIMEOUT);
        registry.stallMidBody(layerPath());
        assertStallFailsWithinTimeout();
        awaitIngests(0);
        assertThat(snapshotTemporaries()).isZero();
    }

    @Test
    void slowButMovingDownloadIsNotCut() throws Exception {
        startDaemon(PROGRESS_TIMEOUT);
        // ten bytes 200 ms apart: two seconds in all, never a second without a byte
        registry.trickle(layerPath(), Duration.ofMillis(200), 10);
        long started = System.nanoTime();

        String id = pull(daemon.images(), reference());

        assertThat(id).isEqualTo(pushed.configDigest());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(PROGRESS_TIMEOUT.plusMillis(500));
    }

    @Test
    void pullWhoseClientHasGoneIsCancelledAndARetryStartsFresh() throws Exception {
        startDaemon(Duration.ofMinutes(1));
        registry.stallMidBody(layerPath());
        Future<String> gone =
                clients.submit(() -> pull(daemon.images().withDeadlineAfter(2, TimeUnit.SECONDS), reference()));
        awaitRequests(layerPath(), 1);
        awaitIngests(1);

        assertThatThrownBy(gone::get)
                .hasCauseInstanceOf(StatusRuntimeException.class)
                .cause()
                .satisfies(
                        e -> assertThat(((StatusRuntimeException) e).getStatus().getCode())
                                .isEqualTo(Status.Code.DEADLINE_EXCEEDED));
        awaitIngests(0);
        assertThat(snapshotTemporaries()).isZero();

        registry.release();
        String id = pull(daemon.images().withDeadlineAfter(20, TimeUnit.SECONDS), reference());

        assertThat(id).isEqualTo(pushed.configDigest());
        assertThat(registry.count("/manifests/")).isEqualTo(2);
        assertThat(registry.count(layerPath())).isEqualTo(2);
        awaitIngests(0);
    }

    @Test
    void concurrentCallersShareOnePullAndOneLeavingDoesNotCancelTheOther() throws Exception {
        startDaemon(Duration.ofMinutes(1));
        registry.stallMidBody(layerPath());
        Future<String> leaving =
                clients.submit(() -> pull(daemon.images().withDeadlineAfter(2, TimeUnit.SECONDS), reference()));
        awaitRequests(layerPath(), 1);
        Future<String> staying =
                clients.submit(() -> pull(daemon.images().withDeadlineAfter(60, TimeUnit.SECONDS), reference()));

        assertThatThrownBy(leaving::get).hasCauseInstanceOf(StatusRuntimeException.class);
        Thread.sleep(300);
        assertThat(staying).isNotDone();
        registry.release();

        assertThat(staying.get(30, TimeUnit.SECONDS)).isEqualTo(pushed.configDigest());
        assertThat(registry.count("/manifests/")).isEqualTo(1);
        assertThat(registry.count(layerPath())).isEqualTo(1);
        awaitIngests(0);
    }
}
