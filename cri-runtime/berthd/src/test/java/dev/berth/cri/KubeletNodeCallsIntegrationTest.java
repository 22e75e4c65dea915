package dev.berth.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cri.v1.ContainerEventResponse;
import dev.berth.cri.v1.ContainerMetrics;
import dev.berth.cri.v1.ContainerState;
import dev.berth.cri.v1.ContainerStatus;
import dev.berth.cri.v1.GetEventsRequest;
import dev.berth.cri.v1.ImageServiceGrpc;
import dev.berth.cri.v1.LinuxContainerConfig;
import dev.berth.cri.v1.LinuxContainerResources;
import dev.berth.cri.v1.ListMetricDescriptorsRequest;
import dev.berth.cri.v1.ListPodSandboxMetricsRequest;
import dev.berth.cri.v1.Metric;
import dev.berth.cri.v1.MetricDescriptor;
import dev.berth.cri.v1.NetworkConfig;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.PodSandboxMetrics;
import dev.berth.cri.v1.PodSandboxState;
import dev.berth.cri.v1.PodSandboxStatusRequest;
import dev.berth.cri.v1.RemoveContainerRequest;
import dev.berth.cri.v1.RemovePodSandboxRequest;
import dev.berth.cri.v1.RuntimeConfig;
import dev.berth.cri.v1.RuntimeServiceGrpc;
import dev.berth.cri.v1.StopPodSandboxRequest;
import dev.berth.cri.v1.StreamContainersRequest;
import dev.berth.cri.v1.StreamContainersResponse;
import dev.berth.cri.v1.StreamImagesRequest;
import dev.berth.cri.v1.StreamPodSandboxesRequest;
import dev.berth.cri.v1.UpdatePodSandboxResourcesRequest;
import dev.berth.cri.v1.UpdateRuntimeConfigRequest;
import dev.berth.cri.v1.VersionRequest;
import dev.berth.testing.DaemonFixture;
import dev.berth.testing.LeakCheck;
import dev.berth.testing.PodClient;
import dev.berth.testing.PodNetworkFixture;
import dev.berth.testing.PodTestBedExtension;
import dev.berth.testkit.cri.CriChannel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The calls kubelet makes besides pod and container lifecycle: the node's pod CIDR, the container event
 * stream of the Evented PLEG, cAdvisor metrics from CRI, pod resizes and the list streams, against a real
 * berthd with real pods.
 */
class KubeletNodeCallsIntegrationTest {

    private static final String CGROUP_MARKER = "berthkubelet";
    private static final long MIB = 1024 * 1024;

    @RegisterExtension
    static final PodTestBedExtension bed = new PodTestBedExtension(CGROUP_MARKER);

    private final DaemonFixture daemon = bed.daemon();
    private final PodClient pods = bed.pods();
    private final String busybox = bed.busybox();
    private static CriChannel channel;

    @BeforeAll
    static void start() throws Exception {
        channel = CriChannel.connect(bed.daemon().socket());
    }

    @AfterAll
    static void stop() throws Exception {
        if (channel != null) {
            channel.close();
        }
    }

    @Test
    void podsStartedAfterUpdateRuntimeConfigGetAddressesFromTheNodePodCidr() throws Exception {
        PodNetworkFixture other = PodNetworkFixture.random(daemon.base());
        while (other.subnet().equals(daemon.network().subnet())) {
            other = PodNetworkFixture.random(daemon.base());
        }
        // as on a node whose kubelet sends the CIDR before its first pod: the bridge plugin will not give a bridge
        // a second IPv4 gateway address, so the bridge is made anew for the new subnet
        daemon.network().deleteBridge();
        updatePodCidr(other.subnet());
        try {
            String podId = pods.run(pods.pod("cidr").build());

            String ip = daemon.runtime()
                    .podSandboxStatus(PodSandboxStatusRequest.newBuilder()
                            .setPodSandboxId(podId)
                            .build())
                    .getStatus()
                    .getNetwork()
                    .getIp();

            assertThat(ip).startsWith(other.prefix());
            daemon.removeAllPods();
            LeakCheck.assertNothingLeft(
                    daemon.base(),
                    new PodNetworkFixture(daemon.network().bridge(), other.subnet(), other.confDir()),
                    CGROUP_MARKER);
        } finally {
            daemon.removeAllPods();
            daemon.network().deleteBridge();
            updatePodCidr(daemon.network().subnet());
        }
    }

    @Test
    void updateRuntimeConfigRejectsWhatIsNoCidrAndIgnoresAnEmptyOne() {
        for (String garbage : List.of("10.1.2.0", "10.1.2.0/33", "nonsense/24", "10.1.2.0/24,", "fd00::/129")) {
            assertThatThrownBy(() -> updatePodCidr(garbage))
                    .as(garbage)
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        }
        updatePodCidr("");

        String podId = pods.run(pods.pod("empty-cidr").build());

        assertThat(daemon.runtime()
                        .podSandboxStatus(PodSandboxStatusRequest.newBuilder()
                                .setPodSandboxId(podId)
                                .build())
                        .getStatus()
                        .getNetwork()
                        .getIp())
                .startsWith(daemon.network().prefix());
    }

    @Test
    void containerEventsFollowThePodAndAContainerThatExitsByItself() throws Exception {
        EventStream stream = EventStream.open(channel.channel());
        EventStream second = EventStream.open(channel.channel());
        try {
            PodSandboxConfig pod = pods.pod("events").build();
            String podId = pods.run(pod);
            String containerId = pods.createAndStart(
                    podId,
                    pod,
                    pods.container("short", busybox, "sh", "-c", "sleep 0.3; exit 3")
                            .build());

            // no call asks about the container: the exit must be noticed by berthd itself
            List<ContainerEventResponse> upToExit = stream.take(5);
            daemon.runtime()
                    .removeContainer(RemoveContainerRequest.newBuilder()
                            .setContainerId(containerId)
                            .build());
            daemon.runtime()
                    .stopPodSandbox(StopPodSandboxRequest.newBuilder()
                            .setPodSandboxId(podId)
                            .build());
            daemon.runtime()
                    .removePodSandbox(RemovePodSandboxRequest.newBuilder()
                            .setPodSandboxId(podId)
                            .build());
            List<ContainerEventResponse> events = new ArrayList<>(upToExit);
            events.addAll(stream.take(3));

            assertThat(events)
                    .extracting(e -> e.getContainerEventType() + " " + e.getContainerId())
                    .containsExactly(
                            "CONTAINER_CREATED_EVENT " + podId, "CONTAINER_STARTED_EVENT " + podId,
                            "CONTAINER_CREATED_EVENT " + containerId, "CONTAINER_STARTED_EVENT " + containerId,
                            "CONTAINER_STOPPED_EVENT " + containerId, "CONTAINER_DELETED_EVENT " + containerId,
                            "CONTAINER_STOPPED_EVENT " + podId, "CONTAINER_DELETED_EVENT " + podId);
            assertThat(events).allSatisfy(e -> {
                assertThat(e.getPodSandboxStatus().getId()).isEqualTo(podId);
                assertThat(e.getPodSandboxStatus().getMetadata().getUid())
                        .isEqualTo(pod.getMetadata().getUid());
                assertThat(e.getCreatedAt()).isPositive();
            });
            assertThat(events).extracting(ContainerEventResponse::getCreatedAt).isSorted();
            ContainerStatus exited = events.get(4).getContainersStatusesList().getFirst();
            assertThat(exited.getId()).isEqualTo(containerId);
            assertThat(exited.getState()).isEqualTo(ContainerState.CONTAINER_EXITED);
            assertThat(exited.getExitCode()).isEqualTo(3);
            assertThat(events.get(3).getContainersStatusesList())
                    .extracting(ContainerStatus::getState)
                    .containsExactly(ContainerState.CONTAINER_RUNNING);
            assertThat(events.get(5).getContainersStatusesList()).isEmpty();
            assertThat(events.get(1).getPodSandboxStatus().getState()).isEqualTo(PodSandboxState.SANDBOX_READY);
            assertThat(events.get(6).getPodSandboxStatus().getState()).isEqualTo(PodSandboxState.SANDBOX_NOTREADY);
            assertThat(second.take(8))
                    .extracting(ContainerEventResponse::getContainerId)
                    .isEqualTo(events.stream()
                            .map(ContainerEventResponse::getContainerId)
                            .toList());

            second.cancel();
            String laterPod = pods.run(pods.pod("after-cancel").build());
            assertThat(stream.take(2))
                    .extracting(ContainerEventResponse::getContainerId)
                    .containsOnly(laterPod);
        } finally {
            stream.cancel();
            second.cancel();
        }
    }

    @Test
    void runningContainerHasCpuAndMemoryMetricsWithTheLabelsOfItsDescriptors() throws Exception {
        PodSandboxConfig pod = pods.pod("metrics").build();
        String podId = pods.run(pod);
        String containerId = pods.createAndStart(
                podId,
                pod,
                pods.container("busy", busybox, "sh", "-c", "while :; do :; done")
                        .setLinux(LinuxContainerConfig.newBuilder()
                                .setResources(
                                        LinuxContainerResources.newBuilder().setMemoryLimitInBytes(64 * MIB)))
                        .build());
        Map<String, MetricDescriptor> descriptors = daemon
                .runtime()
                .listMetricDescriptors(ListMetricDescriptorsRequest.getDefaultInstance())
                .getDescriptorsList()
                .stream()
                .collect(Collectors.toMap(MetricDescriptor::getName, Function.identity()));

        Map<String, Metric> byName = Map.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        // CRI carries whole seconds: the busy loop needs a second of CPU time to show
        while (System.nanoTime() < deadline
                && byName.getOrDefault("container_cpu_usage_seconds_total", Metric.getDefaultInstance())
                                .getValue()
                                .getValue()
                        < 1) {
            Thread.sleep(200);
            byName = containerMetrics(podId, containerId).getMetricsList().stream()
                    .collect(Collectors.toMap(Metric::getName, Function.identity()));
        }

        assertThat(byName.get("container_cpu_usage_seconds_total").getValue().getValue())
                .isPositive();
        assertThat(byName.get("container_cpu_usage_seconds_total").getLabelValuesList())
                .containsExactly(containerId, "busy", busybox, "total");
        assertThat(byName.get("container_memory_working_set_bytes").getValue().getValue())
                .isPositive();
        assertThat(byName.get("container_memory_usage_bytes").getValue().getValue())
                .isPositive();
        assertThat(byName.get("container_memory_working_set_bytes").getLabelValuesList())
                .containsExactly(containerId, "busy", busybox);
        assertThat(byName.get("container_spec_memory_limit_bytes").getValue().getValue())
                .isEqualTo(64 * MIB);
        PodSandboxMetrics podMetrics = podMetrics(podId);
        assertThat(podMetrics.getMetricsList())
                .extracting(Metric::getName)
                .contains("container_network_receive_bytes_total", "container_network_transmit_bytes_total");
        assertThat(podMetrics.getMetricsList())
                .allSatisfy(m -> assertThat(m.getLabelValuesList()).containsExactly(podId, "POD", "", "eth0"));
        List<Metric> all = new ArrayList<>(podMetrics.getMetricsList());
        podMetrics.getContainerMetricsList().forEach(c -> all.addAll(c.getMetricsList()));
        assertThat(all).allSatisfy(m -> {
            assertThat(descriptors).containsKey(m.getName());
            assertThat(m.getLabelValuesCount())
                    .isEqualTo(descriptors.get(m.getName()).getLabelKeysCount());
        });
    }

    @Test
    void updatePodSandboxResourcesSizesThePodCgroupToResourcesPlusOverhead() throws Exception {
        PodSandboxConfig pod = pods.pod("resize").build();
        String podId = pods.run(pod);

        daemon.runtime()
                .updatePodSandboxResources(UpdatePodSandboxResourcesRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .setResources(LinuxContainerResources.newBuilder().setMemoryLimitInBytes(256 * MIB))
                        .setOverhead(LinuxContainerResources.newBuilder().setMemoryLimitInBytes(16 * MIB))
                        .build());

        // the pod's own cgroup, below kubelet's parent
        assertThat(memoryLimit(pod.getLinux().getCgroupParent() + "/" + podId)).isEqualTo(272 * MIB);
        assertThatThrownBy(() -> daemon.runtime()
                        .updatePodSandboxResources(UpdatePodSandboxResourcesRequest.newBuilder()
                                .setPodSandboxId("0123456789abcdef")
                                .build()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void streamCallsSendWhatTheListCallsAnswer() {
        PodSandboxConfig pod = pods.pod("streamed").build();
        String podId = pods.run(pod);
        String containerId = pods.create(
                podId, pod, pods.container("idle", busybox, "sleep", "60").build());
        RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime =
                RuntimeServiceGrpc.newBlockingStub(channel.channel()).withDeadlineAfter(30, TimeUnit.SECONDS);

        List<String> podIds = new ArrayList<>();
        runtime.streamPodSandboxes(StreamPodSandboxesRequest.getDefaultInstance())
                .forEachRemaining(r -> r.getPodSandboxesList().forEach(p -> podIds.add(p.getId())));
        List<String> containerIds = new ArrayList<>();
        Iterator<StreamContainersResponse> containers =
                runtime.streamContainers(StreamContainersRequest.getDefaultInstance());
        containers.forEachRemaining(r -> r.getContainersList().forEach(c -> containerIds.add(c.getId())));

        List<String> images = new ArrayList<>();
        ImageServiceGrpc.newBlockingStub(channel.channel())
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .streamImages(StreamImagesRequest.getDefaultInstance())
                .forEachRemaining(r -> r.getImagesList().forEach(i -> images.addAll(i.getRepoTagsList())));

        assertThat(podIds).containsExactly(podId);
        assertThat(containerIds).containsExactly(containerId);
        assertThat(images).contains(busybox);
    }

    private void updatePodCidr(String cidr) {
        daemon.runtime()
                .updateRuntimeConfig(UpdateRuntimeConfigRequest.newBuilder()
                        .setRuntimeConfig(RuntimeConfig.newBuilder()
                                .setNetworkConfig(NetworkConfig.newBuilder().setPodCidr(cidr)))
                        .build());
    }

    private PodSandboxMetrics podMetrics(String podId) {
        return daemon
                .runtime()
                .listPodSandboxMetrics(ListPodSandboxMetricsRequest.getDefaultInstance())
                .getPodMetricsList()
                .stream()
                .filter(p -> p.getPodSandboxId().equals(podId))
                .findFirst()
                .orElseThrow();
    }

    private ContainerMetrics containerMetrics(String podId, String containerId) {
        return podMetrics(podId).getContainerMetricsList().stream()
                .filter(c -> c.getContainerId().equals(containerId))
                .findFirst()
                .orElseThrow();
    }

    private static long memoryLimit(String cgroup) throws Exception {
        Path v1 = Path.of("/sys/fs/cgroup/memory" + cgroup, "memory.limit_in_bytes");
        Path file = Files.exists(v1) ? v1 : Path.of("/sys/fs/cgroup" + cgroup, "memory.max");
        return Long.parseLong(Files.readString(file).strip());
    }

    /** A GetContainerEvents stream as kubelet holds it open; events queue up until taken. */
    private static final class EventStream implements ClientResponseObserver<GetEventsRequest, ContainerEventResponse> {

        private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        private volatile ClientCallStreamObserver<GetEventsRequest> call;

        static EventStream open(ManagedChannel channel) {
            EventStream stream = new EventStream();
            RuntimeServiceGrpc.newStub(channel).getContainerEvents(GetEventsRequest.getDefaultInstance(), stream);
            // a unary call on the same connection after the stream's start: the stream has reached berthd
            RuntimeServiceGrpc.newBlockingStub(channel).version(VersionRequest.getDefaultInstance());
            return stream;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<GetEventsRequest> requestStream) {
            call = requestStream;
        }

        @Override
        public void onNext(ContainerEventResponse value) {
            received.add(value);
        }

        @Override
        public void onError(Throwable t) {
            received.add(t);
        }

        @Override
        public void onCompleted() {
            received.add("completed");
        }

        List<ContainerEventResponse> take(int count) throws InterruptedException {
            List<ContainerEventResponse> events = new ArrayList<>();
            while (events.size() < count) {
                Object next = received.poll(15, TimeUnit.SECONDS);
                if (!(next instanceof ContainerEventResponse event)) {
                    throw new AssertionError("expected " + count + " events, got "
                            + events.stream()
                                    .map(e -> e.getContainerEventType() + " " + e.getContainerId())
                                    .toList() + " then " + next);
                }
                events.add(event);
            }
            return events;
        }

        void cancel() {
            if (call != null) {
                call.cancel("test done", null);
            }
        }
    }
}
