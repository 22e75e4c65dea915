package dev.berth.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.v1.LayerProgress;
import dev.berth.api.v1.LayerState;
import dev.berth.api.v1.PullProgress;
import dev.berth.api.v1.PullRequest;
import dev.berth.api.v1.PullServiceGrpc;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.testing.DaemonFixture;
import dev.berth.testkit.Privileges;
import dev.berth.testkit.registry.ImagePusher;
import dev.berth.testkit.registry.PushedImage;
import dev.berth.testkit.registry.RegistryFixture;
import dev.berth.testkit.registry.StallingRegistry;
import dev.berth.testkit.registry.TestImage;
import dev.berth.testkit.registry.TestLayer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** berth.v1 Pull against a real berthd and registry: per-layer progress, a joining client, a missing image. */
class PullStreamIntegrationTest {

    private static RegistryFixture upstream;
    private static TestLayer base;
    private static TestLayer app;
    private static PushedImage twoLayers;
    private static PushedImage sharingBase;
    private StallingRegistry registry;
    private DaemonFixture daemon;
    private final ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeAll
    static void pushImages() throws Exception {
        Privileges.requireRoot();
        Privileges.require(
                RegistryFixture.available(), "docker-registry is not installed (apt-get install docker-registry)");
        upstream = RegistryFixture.start();
        ImagePusher pusher = new ImagePusher(upstream);
        base = TestLayer.random(600_000, 20, 71, TestLayer.Compression.GZIP);
        app = TestLayer.random(200_000, 5, 72, TestLayer.Compression.GZIP);
        twoLayers = pusher.pushImage(
                "stream/two", "v1", TestImage.builder().layer(base).layer(app).build());
        sharingBase = pusher.pushImage(
                "stream/sharing",
                "v1",
                TestImage.builder()
                        .layer(base)
                        .layer(TestLayer.random(50_000, 2, 73, TestLayer.Compression.GZIP))
                        .build());
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (upstream != null) {
            upstream.close();
        }
    }

    @BeforeEach
    void start() throws Exception {
        registry = new StallingRegistry(upstream);
        daemon = DaemonFixture.start();
    }

    @AfterEach
    void stop() throws Exception {
        clients.shutdownNow();
        daemon.close();
        registry.close();
    }

    private PullServiceGrpc.PullServiceBlockingStub pulls() {
        return PullServiceGrpc.newBlockingStub(daemon.channel()).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    private static PullRequest request(String reference) {
        return PullRequest.newBuilder()
                .setImage(ImageSpec.newBuilder().setImage(reference))
                .build();
    }

    private static List<PullProgress> drain(Iterator<PullProgress> stream) {
        List<PullProgress> all = new ArrayList<>();
        stream.forEachRemaining(all::add);
        return all;
    }

    /** The last event of each layer, by digest, in the order the layers first appeared. */
    private static Map<String, LayerProgress> lastByLayer(List<PullProgress> events) {
        Map<String, LayerProgress> last = new LinkedHashMap<>();
        events.stream()
                .filter(PullProgress::hasLayer)
                .forEach(e -> last.put(e.getLayer().getDigest(), e.getLayer()));
        return last;
    }

    @Test
    void pullStreamsEachLayerToCompleteWithBytesAddingUpToItsSizeThenTheImage() {
        List<PullProgress> events = drain(pulls().pull(request(registry.reference("stream/two:v1"))));

        Map<String, LayerProgress> last = lastByLayer(events);
        assertThat(last.keySet()).containsExactlyElementsOf(twoLayers.layerDigests());
        assertThat(last.get(base.digest()).getTotalBytes()).isEqualTo(base.blob().length);
        assertThat(last.get(app.digest()).getTotalBytes()).isEqualTo(app.blob().length);
        assertThat(last.values()).allSatisfy(layer -> {
            assertThat(layer.getState()).isEqualTo(LayerState.COMPLETE);
            assertThat(layer.getDownloadedBytes()).isEqualTo(layer.getTotalBytes());
        });
        // downloaded bytes only grow, and never past the layer's size
        for (String digest : last.keySet()) {
            List<Long> bytes = events.stream()
                    .filter(e -> e.hasLayer() && e.getLayer().getDigest().equals(digest))
                    .map(e -> e.getLayer().getDownloadedBytes())
                    .toList();
            assertThat(bytes)
                    .isSorted()
                    .allSatisfy(
                            b -> assertThat(b).isBetween(0L, last.get(digest).getTotalBytes()));
        }
        PullProgress done = events.getLast();
        assertThat(done.hasComplete()).isTrue();
        assertThat(done.getComplete().getImageRef()).isEqualTo(twoLayers.configDigest());
        assertThat(done.getComplete().getDigest()).isEqualTo(twoLayers.manifestDigest());
        assertThat(events.stream().filter(PullProgress::hasComplete)).hasSize(1);
    }

    @Test
    void layerAnotherImageBroughtInIsReportedAlreadyExisting() {
        drain(pulls().pull(request(registry.reference("stream/two:v1"))));

        Map<String, LayerProgress> last =
                lastByLayer(drain(pulls().pull(request(registry.reference("stream/sharing:v1")))));

        assertThat(last.get(base.digest()).getState()).isEqualTo(LayerState.ALREADY_EXISTS);
        assertThat(last.get(sharingBase.layerDigests().get(1)).getState()).isEqualTo(LayerState.COMPLETE);
    }

    @Test
    void secondClientJoinsTheRunningPullAndSeesItsProgress() throws Exception {
        // the base layer's first 30 bytes come 100 ms apart: three seconds for the second client to join
        registry.trickle("/blobs/" + base.digest(), Duration.ofMillis(100), 30);
        String reference = registry.reference("stream/two:v1");
        Iterator<PullProgress> first = pulls().pull(request(reference));
        List<PullProgress> firstEvents = new ArrayList<>();
        while (firstEvents.stream()
                .noneMatch(e -> e.hasLayer()
                        && e.getLayer().getDigest().equals(base.digest())
                        && e.getLayer().getState() == LayerState.DOWNLOADING)) {
            firstEvents.add(first.next());
        }
        Future<List<PullProgress>> rest = clients.submit(() -> drain(first));

        List<PullProgress> second = drain(pulls().pull(request(reference)));

        firstEvents.addAll(rest.get(60, TimeUnit.SECONDS));
        assertThat(registry.count("/blobs/" + base.digest())).isOne();
        for (List<PullProgress> events : List.of(firstEvents, second)) {
            assertThat(lastByLayer(events).values())
                    .extracting(LayerProgress::getState)
                    .containsOnly(LayerState.COMPLETE);
            assertThat(events.getLast().getComplete().getImageRef()).isEqualTo(twoLayers.configDigest());
        }
        // the joiner saw the base layer while it was still coming in, not only its end
        assertThat(second.stream()
                        .filter(e -> e.hasLayer() && e.getLayer().getDigest().equals(base.digest()))
                        .map(e -> e.getLayer().getState()))
                .contains(LayerState.DOWNLOADING, LayerState.COMPLETE);
    }

    @Test
    void imageTheRegistryDoesNotHaveEndsTheStreamNotFound() {
        assertThatThrownBy(() -> drain(pulls().pull(request(registry.reference("stream/missing:v1")))))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).contains("stream/missing");
                });
    }

    @Test
    void requestWithoutAnImageIsInvalidArgument() {
        assertThatThrownBy(() -> drain(pulls().pull(PullRequest.getDefaultInstance())))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }
}
