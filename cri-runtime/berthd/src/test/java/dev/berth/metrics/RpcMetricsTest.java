package dev.berth.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cri.CriServer;
import dev.berth.cri.v1.ContainerEventResponse;
import dev.berth.cri.v1.GetEventsRequest;
import dev.berth.cri.v1.PodSandboxStatusRequest;
import dev.berth.cri.v1.PodSandboxStatusResponse;
import dev.berth.cri.v1.RuntimeServiceGrpc;
import dev.berth.cri.v1.VersionRequest;
import dev.berth.cri.v1.VersionResponse;
import dev.berth.store.Directories;
import dev.berth.testkit.cri.CriChannel;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gRPC server's interceptor counts and times calls as they end, whatever service serves them. */
class RpcMetricsTest {

    private static final String RUNTIME = "runtime.v1.RuntimeService";

    private final BerthMetrics metrics = new BerthMetrics("1.2.3-test");
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final CountDownLatch eventsCancelled = new CountDownLatch(1);
    private Path dir;
    private CriServer server;
    private CriChannel channel;

    /** Version answers, PodSandboxStatus fails NOT_FOUND, GetContainerEvents streams until its client goes. */
    private final class FakeRuntime extends RuntimeServiceGrpc.RuntimeServiceImplBase {
        @Override
        public void version(VersionRequest request, StreamObserver<VersionResponse> response) {
            response.onNext(VersionResponse.newBuilder().setRuntimeName("fake").build());
            response.onCompleted();
        }

        @Override
        public void podSandboxStatus(
                PodSandboxStatusRequest request, StreamObserver<PodSandboxStatusResponse> response) {
            response.onError(Status.NOT_FOUND.withDescription("no such pod").asRuntimeException());
        }

        @Override
        public void getContainerEvents(GetEventsRequest request, StreamObserver<ContainerEventResponse> response) {
            response.onNext(
                    ContainerEventResponse.newBuilder().setContainerId("c1").build());
            Context.current().addListener(context -> eventsCancelled.countDown(), Runnable::run);
        }
    }

    @BeforeEach
    void start() throws IOException {
        dir = Files.createTempDirectory("berth-rpc-metrics-");
        Path socket = dir.resolve("cri.sock");
        server = new CriServer(socket, List.of(new FakeRuntime()), metrics.rpcs(), executor);
        server.start();
        channel = CriChannel.connect(socket);
    }

    @AfterEach
    void stop() throws IOException {
        channel.close();
        server.close();
        executor.shutdownNow();
        Directories.deleteRecursively(dir);
    }

    private RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime() {
        return RuntimeServiceGrpc.newBlockingStub(channel.channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private Exposition exposition() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
        return Exposition.parse(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void unaryCallsAreCountedByCodeAndTimed() throws IOException {
        runtime().version(VersionRequest.getDefaultInstance());
        runtime().version(VersionRequest.getDefaultInstance());
        runtime().version(VersionRequest.getDefaultInstance());
        assertThatThrownBy(() -> runtime()
                        .podSandboxStatus(PodSandboxStatusRequest.newBuilder()
                                .setPodSandboxId("nothing")
                                .build()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));

        Exposition scraped = exposition();
        assertThat(scraped.types())
                .containsEntry("berth_cri_requests_total", "counter")
                .containsEntry("berth_cri_request_duration_seconds", "histogram");
        assertThat(scraped.value("berth_cri_requests_total", "service", RUNTIME, "method", "Version", "code", "OK"))
                .contains(3.0);
        assertThat(scraped.value(
                        "berth_cri_requests_total",
                        "service",
                        RUNTIME,
                        "method",
                        "PodSandboxStatus",
                        "code",
                        "NOT_FOUND"))
                .contains(1.0);
        assertThat(scraped.matching("berth_cri_requests_total", "method", "PodSandboxStatus"))
                .hasSize(1);

        List<Exposition.Sample> buckets =
                scraped.buckets("berth_cri_request_duration_seconds", "service", RUNTIME, "method", "Version");
        assertThat(buckets).hasSizeGreaterThan(10);
        assertThat(Exposition.bound(buckets.getLast())).isInfinite();
        assertThat(buckets.getLast().value()).isEqualTo(3.0);
        for (int i = 1; i < buckets.size(); i++) {
            assertThat(buckets.get(i).value())
                    .isGreaterThanOrEqualTo(buckets.get(i - 1).value());
        }
        // a call over a local socket is well under a second
        assertThat(scraped.value("berth_cri_request_duration_seconds_bucket", "method", "Version", "le", "1.0"))
                .contains(3.0);
        assertThat(scraped.value("berth_cri_request_duration_seconds_count", "method", "Version"))
                .contains(3.0);
        assertThat(scraped.value("berth_cri_request_duration_seconds_sum", "method", "Version"))
                .hasValueSatisfying(sum -> assertThat(sum).isPositive().isLessThan(3.0));
        assertThat(scraped.value("berth_cri_request_duration_seconds_count", "method", "PodSandboxStatus"))
                .contains(1.0);
    }

    @Test
    void aStreamCancelledByItsClientCountsOnceAsCancelledWithoutATime() throws Exception {
        Context.CancellableContext call = Context.current().withCancellation();
        call.run(() -> {
            Iterator<ContainerEventResponse> events = RuntimeServiceGrpc.newBlockingStub(channel.channel())
                    .getContainerEvents(GetEventsRequest.getDefaultInstance());
            assertThat(events.next().getContainerId()).isEqualTo("c1");
        });
        call.cancel(null);
        assertThat(eventsCancelled.await(10, TimeUnit.SECONDS)).isTrue();

        // the context is cancelled on the transport thread, the call's listener (the metric) hears of it on the call's
        // executor, maybe a little later
        Exposition scraped = exposition();
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                scraped.matching("berth_cri_requests_total", "method", "GetContainerEvents")
                                .isEmpty()
                        && System.nanoTime() < deadline; ) {
            Thread.sleep(10);
            scraped = exposition();
        }
        assertThat(scraped.matching("berth_cri_requests_total", "method", "GetContainerEvents"))
                .singleElement()
                .satisfies(sample -> {
                    assertThat(sample.labels()).containsEntry("code", "CANCELLED");
                    assertThat(sample.value()).isEqualTo(1.0);
                });
        assertThat(scraped.matching("berth_cri_request_duration_seconds_count", "method", "GetContainerEvents"))
                .isEmpty();
    }

    @Test
    void buildInfoCarriesTheVersionAndTheJvmMetricsComeOnceRegistered() throws IOException {
        assertThat(exposition().matching("jvm_memory_used_bytes", "area", "heap"))
                .isEmpty();
        metrics.registerJvmMetrics();
        Exposition scraped = exposition();
        assertThat(scraped.value("berth_build_info", "version", "1.2.3-test")).contains(1.0);
        assertThat(scraped.matching("jvm_memory_used_bytes", "area", "heap"))
                .singleElement()
                .satisfies(heap -> assertThat(heap.value()).isPositive());
    }
}
