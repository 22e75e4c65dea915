package dev.berth.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.ListPodSandboxRequest;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.PodSandboxStatusRequest;
import dev.berth.cri.v1.PullImageRequest;
import dev.berth.cri.v1.StopPodSandboxRequest;
import dev.berth.cri.v1.VersionRequest;
import dev.berth.daemon.BerthConfig;
import dev.berth.daemon.BerthDaemon;
import dev.berth.store.Directories;
import dev.berth.testing.DaemonFixture;
import dev.berth.testing.PodClient;
import dev.berth.testing.PodNetworkFixture;
import dev.berth.testing.PodTestBedExtension;
import dev.berth.testkit.Privileges;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real berthd (fixture metrics on a free loopback port) scraped over HTTP as Prometheus does, after real CRI calls,
 * a real pull from the test registry (the bed's busybox) and a real pod.
 */
class MetricsIntegrationTest {

    private static final String RUNTIME = "runtime.v1.RuntimeService";
    private static final String IMAGES = "runtime.v1.ImageService";

    @RegisterExtension
    static final PodTestBedExtension bed = new PodTestBedExtension("berthmetrics");

    private final DaemonFixture daemon = bed.daemon();
    private final PodClient pods = bed.pods();

    private static Exposition scrape(int port) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return Exposition.parse(response.body());
        }
    }

    private Exposition scrape() throws Exception {
        return scrape(daemon.daemon().metricsPort().orElseThrow());
    }

    private static Status.Code codeOf(Runnable call) {
        try {
            call.run();
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    @Test
    void aScrapeCountsCallsPullsPodsAndContainersAndShowsTheJvm() throws Exception {
        String busybox = bed.busybox();
        String registry = busybox.substring(0, busybox.indexOf('/'));
        daemon.runtime().version(VersionRequest.getDefaultInstance());
        daemon.runtime().version(VersionRequest.getDefaultInstance());
        assertThat(codeOf(() -> daemon.runtime()
                        .podSandboxStatus(PodSandboxStatusRequest.newBuilder()
                                .setPodSandboxId("0123456789abcdef")
                                .build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(codeOf(() -> daemon.images()
                        .pullImage(PullImageRequest.newBuilder()
                                .setImage(ImageSpec.newBuilder().setImage(registry + "/metrics/absent:1"))
                                .build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        PodSandboxConfig pod = pods.pod("metered").build();
        String podId = pods.run(pod);
        pods.createAndStart(
                podId, pod, pods.container("sleeper", busybox, "sleep", "1000").build());
        daemon.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance());

        Exposition scraped = scrape();

        assertThat(scraped.value("berth_cri_requests_total", "service", RUNTIME, "method", "Version", "code", "OK"))
                .contains(2.0);
        assertThat(scraped.value(
                        "berth_cri_requests_total",
                        "service",
                        RUNTIME,
                        "method",
                        "PodSandboxStatus",
                        "code",
                        "NOT_FOUND"))
                .contains(1.0);
        assertThat(scraped.value("berth_cri_requests_total", "method", "ListPodSandbox", "code", "OK"))
                .hasValueSatisfying(n -> assertThat(n).isGreaterThanOrEqualTo(1.0));
        assertThat(scraped.value("berth_cri_requests_total", "service", IMAGES, "method", "PullImage", "code", "OK"))
                .contains(1.0);
        assertThat(scraped.value(
                        "berth_cri_requests_total", "service", IMAGES, "method", "PullImage", "code", "NOT_FOUND"))
                .contains(1.0);
        assertThat(scraped.value("berth_cri_requests_total", "method", "RunPodSandbox", "code", "OK"))
                .contains(1.0);

        List<Exposition.Sample> buckets =
                scraped.buckets("berth_cri_request_duration_seconds", "service", RUNTIME, "method", "Version");
        assertThat(Exposition.bound(buckets.getLast())).isInfinite();
        assertThat(buckets.getLast().value()).isEqualTo(2.0);
        assertThat(buckets.getFirst().value()).isLessThanOrEqualTo(2.0);
        for (int i = 1; i < buckets.size(); i++) {
            assertThat(buckets.get(i).value())
                    .isGreaterThanOrEqualTo(buckets.get(i - 1).value());
        }
        assertThat(scraped.value("berth_cri_request_duration_seconds_count", "method", "RunPodSandbox"))
                .contains(1.0);
        assertThat(scraped.value("berth_cri_request_duration_seconds_sum", "method", "RunPodSandbox"))
                .hasValueSatisfying(seconds -> assertThat(seconds).isPositive());

        // the bed pulled busybox from its registry once, and the absent image failed
        assertThat(scraped.value("berth_image_pull_bytes_total", "registry", registry))
                .hasValueSatisfying(bytes -> assertThat(bytes).isGreaterThan(100_000.0));
        assertThat(scraped.value("berth_image_pull_duration_seconds_count", "registry", registry))
                .contains(1.0);
        assertThat(scraped.value("berth_image_pull_duration_seconds_bucket", "registry", registry, "le", "+Inf"))
                .contains(1.0);
        assertThat(scraped.value("berth_image_pull_failures_total", "registry", registry, "reason", "not_found"))
                .contains(1.0);

        assertThat(scraped.value("berth_pods", "state", "ready")).contains(1.0);
        assertThat(scraped.value("berth_pods", "state", "notready")).contains(0.0);
        assertThat(scraped.value("berth_containers", "state", "running")).contains(1.0);
        assertThat(scraped.value("berth_containers", "state", "exited")).contains(0.0);
        assertThat(scraped.types()).containsEntry("berth_pods", "gauge").containsEntry("berth_containers", "gauge");

        assertThat(scraped.value("berth_oci_runtime_duration_seconds_count", "command", "create"))
                .contains(1.0);
        assertThat(scraped.value("berth_oci_runtime_duration_seconds_count", "command", "start"))
                .contains(1.0);
        assertThat(scraped.value("berth_oci_runtime_duration_seconds_sum", "command", "create"))
                .hasValueSatisfying(seconds -> assertThat(seconds).isPositive().isLessThan(30.0));

        assertThat(scraped.matching("berth_build_info")).singleElement().satisfies(info -> {
            assertThat(info.labels()).containsKey("version");
            assertThat(info.value()).isEqualTo(1.0);
        });
        assertThat(scraped.value("jvm_memory_used_bytes", "area", "heap"))
                .hasValueSatisfying(bytes -> assertThat(bytes).isPositive());
        assertThat(scraped.types())
                .containsKey("jvm_gc_collection_seconds")
                .containsKey("jvm_threads_current")
                .containsKey("process_cpu_seconds_total");

        daemon.runtime()
                .stopPodSandbox(StopPodSandboxRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .build());
        Exposition afterStop = scrape();
        assertThat(afterStop.value("berth_pods", "state", "ready")).contains(0.0);
        assertThat(afterStop.value("berth_pods", "state", "notready")).contains(1.0);
        assertThat(afterStop.value("berth_containers", "state", "running")).contains(0.0);
        assertThat(afterStop.value("berth_containers", "state", "exited")).contains(1.0);
    }

    @Test
    void anEmptyAddressOpensNoPort() throws Exception {
        Privileges.requireRoot();
        Set<Integer> before = ListeningPorts.ofThisProcess();
        Set<Integer> withMetricsOff;
        try (DaemonFixture off = DaemonFixture.startWithMetrics(new BerthConfig.Metrics(""))) {
            assertThat(off.daemon().metricsPort()).isEmpty();
            withMetricsOff = opened(before);
        }
        Set<Integer> withMetricsOn;
        try (DaemonFixture on = DaemonFixture.startWithMetrics(DaemonFixture.METRICS_ON_FREE_PORT)) {
            withMetricsOn = opened(before);
            assertThat(withMetricsOn).contains(on.daemon().metricsPort().orElseThrow());
        }
        // the streaming server's port is opened either way; the metrics port only when asked for
        assertThat(withMetricsOn).hasSize(withMetricsOff.size() + 1);
    }

    private static Set<Integer> opened(Set<Integer> before) throws Exception {
        Set<Integer> now = new HashSet<>(ListeningPorts.ofThisProcess());
        now.removeAll(before);
        return now;
    }

    @Test
    void aConfiguredAddressThatCannotBeServedStopsTheStartAndLeavesNothingHeld() throws Exception {
        Privileges.requireRoot();
        Path base = Files.createTempDirectory("berthd-test-");
        PodNetworkFixture network = PodNetworkFixture.random(base);
        BerthConfig plain = DaemonFixture.config(base, Map.of(), network);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            BerthConfig config = withMetrics(plain, "127.0.0.1:" + taken.getLocalPort());
            assertThatThrownBy(() -> BerthDaemon.start(config).close())
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("metrics.address 127.0.0.1:" + taken.getLocalPort());
            assertThat(config.socketPath()).doesNotExist();
            // the lock and the socket were let go: the same directories start with metrics off
            try (BerthDaemon again = BerthDaemon.start(withMetrics(plain, ""))) {
                assertThat(again.metricsPort()).isEmpty();
            }
        } finally {
            try {
                network.deleteBridge();
            } finally {
                Directories.deleteRecursively(base);
            }
        }
    }

    private static BerthConfig withMetrics(BerthConfig config, String address) {
        return new BerthConfig(
                config.root(),
                config.state(),
                config.socket(),
                config.images(),
                config.registries(),
                config.runtimes(),
                config.network(),
                config.streaming(),
                config.security(),
                new BerthConfig.Metrics(address),
                config.log());
    }
}
