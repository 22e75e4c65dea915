package dev.berth.cri;

import dev.berth.store.Timestamps;
import dev.berth.container.ContainerPaths;
import dev.berth.container.ContainerRecord;
import dev.berth.stats.StatsService;
import dev.berth.store.Json;
import dev.berth.container.ContainerService;
import dev.berth.cri.v1.AttachRequest;
import dev.berth.cri.v1.AttachResponse;
import dev.berth.runtime.RuntimeHandlers;
import dev.berth.cri.v1.CgroupDriver;
import dev.berth.cri.v1.ExecRequest;
import dev.berth.cri.v1.ExecResponse;
import dev.berth.cri.v1.PortForwardRequest;
import dev.berth.cri.v1.PortForwardResponse;
import dev.berth.streaming.StreamingServer;
import dev.berth.cri.v1.ContainerFilter;
import dev.berth.cri.v1.ContainerStatsRequest;
import dev.berth.cri.v1.ContainerStatsResponse;
import dev.berth.cri.v1.ContainerStatusRequest;
import dev.berth.cri.v1.ContainerStatusResponse;
import dev.berth.cri.v1.CreateContainerRequest;
import dev.berth.cri.v1.CreateContainerResponse;
import dev.berth.cri.v1.ExecSyncRequest;
import dev.berth.cri.v1.ExecSyncResponse;
import dev.berth.cri.v1.LinuxRuntimeConfiguration;
import dev.berth.cri.v1.ListContainerStatsRequest;
import dev.berth.cri.v1.ListContainerStatsResponse;
import dev.berth.cri.v1.ListContainersRequest;
import dev.berth.cri.v1.ListContainersResponse;
import dev.berth.cri.v1.ListPodSandboxRequest;
import dev.berth.cri.v1.ListPodSandboxResponse;
import dev.berth.cri.v1.ListPodSandboxStatsRequest;
import dev.berth.cri.v1.ListPodSandboxStatsResponse;
import dev.berth.cri.v1.PodSandboxStatsRequest;
import dev.berth.cri.v1.PodSandboxStatsResponse;
import dev.berth.cri.v1.PodSandboxStatusRequest;
import dev.berth.cri.v1.PodSandboxStatusResponse;
import dev.berth.cri.v1.RemoveContainerRequest;
import dev.berth.cri.v1.RemoveContainerResponse;
import dev.berth.cri.v1.RemovePodSandboxRequest;
import dev.berth.cri.v1.RemovePodSandboxResponse;
import dev.berth.cri.v1.ReopenContainerLogRequest;
import dev.berth.cri.v1.ReopenContainerLogResponse;
import dev.berth.cri.v1.RunPodSandboxRequest;
import dev.berth.cri.v1.RunPodSandboxResponse;
import dev.berth.cri.v1.RuntimeConfigRequest;
import dev.berth.cri.v1.RuntimeHandler;
import dev.berth.cri.v1.RuntimeHandlerFeatures;
import dev.berth.cri.v1.RuntimeFeatures;
import dev.berth.cri.v1.RuntimeConfigResponse;
import dev.berth.cri.v1.RuntimeCondition;
import dev.berth.cri.v1.RuntimeStatus;
import dev.berth.cri.v1.StartContainerRequest;
import dev.berth.cri.v1.StartContainerResponse;
import dev.berth.cri.v1.StatusRequest;
import dev.berth.cri.v1.StatusResponse;
import dev.berth.cri.v1.StopContainerRequest;
import dev.berth.cri.v1.StopContainerResponse;
import dev.berth.cri.v1.StopPodSandboxRequest;
import dev.berth.cri.v1.StopPodSandboxResponse;
import dev.berth.cri.v1.UpdateContainerResourcesRequest;
import dev.berth.cri.v1.UpdateContainerResourcesResponse;
import dev.berth.cri.v1.VersionRequest;
import dev.berth.cri.v1.VersionResponse;
import dev.berth.node.NodeReadiness;
import dev.berth.runtime.ExecResult;
import dev.berth.sandbox.SandboxRecord;
import dev.berth.sandbox.SandboxService;
import dev.berth.events.ContainerEvents;
import dev.berth.network.PodNetwork;
import dev.berth.cri.v1.ContainerEventResponse;
import dev.berth.cri.v1.GetEventsRequest;
import dev.berth.cri.v1.ListMetricDescriptorsRequest;
import dev.berth.cri.v1.ListMetricDescriptorsResponse;
import dev.berth.cri.v1.ListPodSandboxMetricsRequest;
import dev.berth.cri.v1.ListPodSandboxMetricsResponse;
import dev.berth.cri.v1.UpdatePodSandboxResourcesRequest;
import dev.berth.cri.v1.UpdatePodSandboxResourcesResponse;
import dev.berth.cri.v1.UpdateRuntimeConfigRequest;
import dev.berth.cri.v1.UpdateRuntimeConfigResponse;
import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;

/**
 * CRI RuntimeService: validates, calls the sandbox and container features, maps to protobuf. The streaming
 * calls (Exec, Attach, PortForward) answer with a URL on berthd's streaming server. CheckpointContainer
 * answers UNIMPLEMENTED (the generated base class does that): kubelet calls it only behind its
 * ContainerCheckpoint gate and reports it as unsupported. Container events and pod metrics live in
 * {@link ContainerEventsRpc} and {@link PodMetricsRpc}; the Stream* calls are their List call in batches
 * ({@link ListStreamingRpc}).
 */
public final class RuntimeServiceRpc extends ListStreamingRpc {

    static final String RUNTIME_NAME = "berth";
    static final String RUNTIME_API_VERSION = "v1";
    /** The CRI API version this runtime speaks, as kubelet's VersionRequest names it. */
    static final String KUBE_API_VERSION = "0.1.0";
    /** ExecSync without a timeout still may not hang a CRI call forever. */
    private static final Duration EXEC_SYNC_DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    /** Longer timeouts (up to Long.MAX_VALUE seconds, which no clock can count in millis) mean "a day". */
    private static final Duration EXEC_SYNC_MAX_TIMEOUT = Duration.ofDays(1);

    private final NodeReadiness readiness;
    private final RuntimeHandlers handlers;
    private final String runtimeVersion;
    private final SandboxService sandboxes;
    private final ContainerService containers;
    private final SandboxProtos sandboxProtos;
    private final ContainerProtos containerProtos;
    private final StatsService stats;
    private final StreamingCalls streaming;
    private final PodNetwork network;
    private final ContainerEventsRpc events;
    private final PodMetricsRpc metrics;

    public RuntimeServiceRpc(NodeReadiness readiness, RuntimeHandlers handlers, String runtimeVersion,
            SandboxService sandboxes,
            ContainerService containers, Json json, ContainerPaths paths, StatsService stats,
            ContainerEvents containerEvents, PodNetwork network,
            StreamingServer streamingServer) {
        this.readiness = readiness;
        this.handlers = handlers;
        this.runtimeVersion = runtimeVersion;
        this.sandboxes = sandboxes;
        this.containers = containers;
        this.sandboxProtos = new SandboxProtos(json);
        this.containerProtos = new ContainerProtos(json, paths);
        this.stats = stats;
        this.streaming = new StreamingCalls(streamingServer, sandboxes, containers);
        this.network = network;
        this.events = new ContainerEventsRpc(containerEvents, sandboxProtos, containerProtos);
        this.metrics = new PodMetricsRpc(sandboxes, containers, stats);
    }

    @Override
    public void version(VersionRequest request, StreamObserver<VersionResponse> observer) {
        Rpc.unary("Version", observer, () -> VersionResponse.newBuilder()
                .setVersion(KUBE_API_VERSION)
                .setRuntimeName(RUNTIME_NAME)
                .setRuntimeVersion(runtimeVersion)
                .setRuntimeApiVersion(RUNTIME_API_VERSION)
                .build());
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> observer) {
        Rpc.unary("Status", observer, () -> {
            RuntimeStatus.Builder status = RuntimeStatus.newBuilder();
            for (NodeReadiness.Condition condition : readiness.check()) {
                status.addConditions(RuntimeCondition.newBuilder()
                        .setType(condition.type())
                        .setStatus(condition.ready())
                        .setReason(condition.reason())
                        .setMessage(condition.message()));
            }
            // supplemental_groups_policy: Strict and Merge are honoured for every handler (berthd resolves the groups)
            StatusResponse.Builder response = StatusResponse.newBuilder().setStatus(status)
                    .setFeatures(RuntimeFeatures.newBuilder().setSupplementalGroupsPolicy(true));
            handlers.names().stream().sorted().forEach(name -> response.addRuntimeHandlers(RuntimeHandler.newBuilder()
                    .setName(name).setFeatures(RuntimeHandlerFeatures.newBuilder()
                            .setRecursiveReadOnlyMounts(handlers.require(name).features().recursiveReadOnlyMounts())
                            .setUserNamespaces(false))));
            return response.build();
        });
    }

    @Override
    public void runtimeConfig(RuntimeConfigRequest request, StreamObserver<RuntimeConfigResponse> observer) {
        Rpc.unary("RuntimeConfig", observer, () -> RuntimeConfigResponse.newBuilder()
                .setLinux(LinuxRuntimeConfiguration.newBuilder().setCgroupDriver(CgroupDriver.CGROUPFS))
                .build());
    }

    @Override
    public void runPodSandbox(RunPodSandboxRequest request, StreamObserver<RunPodSandboxResponse> observer) {
        Rpc.unary("RunPodSandbox", observer, () -> {
            SandboxRecord sandbox = sandboxes.run(request.getConfig(), request.getRuntimeHandler());
            return RunPodSandboxResponse.newBuilder().setPodSandboxId(sandbox.id()).build();
        });
    }

    @Override
    public void stopPodSandbox(StopPodSandboxRequest request, StreamObserver<StopPodSandboxResponse> observer) {
        Rpc.unary("StopPodSandbox", observer, () -> {
            sandboxes.stop(requireId("pod_sandbox_id", request.getPodSandboxId()));
            return StopPodSandboxResponse.getDefaultInstance();
        });
    }

    @Override
    public void removePodSandbox(RemovePodSandboxRequest request, StreamObserver<RemovePodSandboxResponse> observer) {
        Rpc.unary("RemovePodSandbox", observer, () -> {
            sandboxes.remove(requireId("pod_sandbox_id", request.getPodSandboxId()));
            return RemovePodSandboxResponse.getDefaultInstance();
        });
    }

    @Override
    public void podSandboxStatus(PodSandboxStatusRequest request, StreamObserver<PodSandboxStatusResponse> observer) {
        Rpc.unary("PodSandboxStatus", observer, () -> {
            SandboxRecord sandbox = sandboxes.get(requireId("pod_sandbox_id", request.getPodSandboxId()));
            PodSandboxStatusResponse.Builder response = PodSandboxStatusResponse.newBuilder()
                    .setStatus(sandboxProtos.status(sandbox))
                    .setTimestamp(Timestamps.nowNanos());
            if (request.getVerbose()) {
                response.putInfo("info", sandboxProtos.verboseInfo(sandbox));
            }
            return response.build();
        });
    }

    @Override
    public void listPodSandbox(ListPodSandboxRequest request, StreamObserver<ListPodSandboxResponse> observer) {
        Rpc.unary("ListPodSandbox", observer, () -> {
            ListPodSandboxResponse.Builder response = ListPodSandboxResponse.newBuilder();
            for (SandboxRecord sandbox : sandboxes.list(SandboxProtos.filter(request.getFilter()))) {
                response.addItems(sandboxProtos.sandbox(sandbox));
            }
            return response.build();
        });
    }

    @Override
    public void createContainer(CreateContainerRequest request, StreamObserver<CreateContainerResponse> observer) {
        Rpc.unary("CreateContainer", observer, () -> {
            // a unique prefix names the pod here as in every other call (crictl create <short id>)
            String sandboxId = sandboxes.get(requireId("pod_sandbox_id", request.getPodSandboxId())).id();
            ContainerRecord container = containers.create(sandboxId, request.getConfig(), request.getSandboxConfig());
            return CreateContainerResponse.newBuilder().setContainerId(container.id()).build();
        });
    }

    @Override
    public void startContainer(StartContainerRequest request, StreamObserver<StartContainerResponse> observer) {
        Rpc.unary("StartContainer", observer, () -> {
            containers.start(requireId("container_id", request.getContainerId()));
            return StartContainerResponse.getDefaultInstance();
        });
    }

    @Override
    public void stopContainer(StopContainerRequest request, StreamObserver<StopContainerResponse> observer) {
        Rpc.unary("StopContainer", observer, () -> {
            containers.stop(requireId("container_id", request.getContainerId()), Math.max(0, request.getTimeout()));
            return StopContainerResponse.getDefaultInstance();
        });
    }

    @Override
    public void removeContainer(RemoveContainerRequest request, StreamObserver<RemoveContainerResponse> observer) {
        Rpc.unary("RemoveContainer", observer, () -> {
            containers.remove(requireId("container_id", request.getContainerId()));
            return RemoveContainerResponse.getDefaultInstance();
        });
    }

    @Override
    public void listContainers(ListContainersRequest request, StreamObserver<ListContainersResponse> observer) {
        Rpc.unary("ListContainers", observer, () -> {
            ListContainersResponse.Builder response = ListContainersResponse.newBuilder();
            for (ContainerRecord container : containers.list(ContainerProtos.filter(request.getFilter()))) {
                response.addContainers(containerProtos.container(container));
            }
            return response.build();
        });
    }

    @Override
    public void containerStatus(ContainerStatusRequest request, StreamObserver<ContainerStatusResponse> observer) {
        Rpc.unary("ContainerStatus", observer, () -> {
            ContainerRecord container = containers.get(requireId("container_id", request.getContainerId()));
            ContainerStatusResponse.Builder response = ContainerStatusResponse.newBuilder()
                    .setStatus(containerProtos.status(container));
            if (request.getVerbose()) {
                response.putInfo("info", containerProtos.verboseInfo(container));
            }
            return response.build();
        });
    }

    @Override
    public void updateContainerResources(UpdateContainerResourcesRequest request,
            StreamObserver<UpdateContainerResourcesResponse> observer) {
        Rpc.unary("UpdateContainerResources", observer, () -> {
            containers.updateResources(requireId("container_id", request.getContainerId()), request.getLinux());
            return UpdateContainerResourcesResponse.getDefaultInstance();
        });
    }

    @Override
    public void execSync(ExecSyncRequest request, StreamObserver<ExecSyncResponse> observer) {
        Rpc.unary("ExecSync", observer, () -> {
            Duration timeout = request.getTimeout() <= 0 ? EXEC_SYNC_DEFAULT_TIMEOUT
                    : Duration.ofSeconds(Math.min(request.getTimeout(), EXEC_SYNC_MAX_TIMEOUT.toSeconds()));
            ExecResult result = containers.execSync(requireId("container_id", request.getContainerId()),
                    request.getCmdList(), timeout);
            if (result.timedOut()) {
                throw io.grpc.Status.DEADLINE_EXCEEDED.withDescription("command " + request.getCmdList()
                        + " timed out after " + timeout.toSeconds() + " s").asRuntimeException();
            }
            return ExecSyncResponse.newBuilder()
                    .setStdout(ByteString.copyFrom(result.stdout()))
                    .setStderr(ByteString.copyFrom(result.stderr()))
                    .setExitCode(result.exitCode())
                    .build();
        });
    }

    @Override
    public void reopenContainerLog(ReopenContainerLogRequest request, StreamObserver<ReopenContainerLogResponse> observer) {
        Rpc.unary("ReopenContainerLog", observer, () -> {
            containers.reopenLog(requireId("container_id", request.getContainerId()));
            return ReopenContainerLogResponse.getDefaultInstance();
        });
    }

    @Override
    public void containerStats(ContainerStatsRequest request, StreamObserver<ContainerStatsResponse> observer) {
        Rpc.unary("ContainerStats", observer, () -> ContainerStatsResponse.newBuilder()
                .setStats(StatsProtos.container(stats.container(containers.get(requireId("container_id",
                        request.getContainerId())))))
                .build());
    }

    @Override
    public void listContainerStats(ListContainerStatsRequest request,
            StreamObserver<ListContainerStatsResponse> observer) {
        Rpc.unary("ListContainerStats", observer, () -> {
            var filter = request.getFilter();
            ListContainerStatsResponse.Builder response = ListContainerStatsResponse.newBuilder();
            for (ContainerRecord container : containers.list(c -> c.isLive() && ContainerProtos.filter(ContainerFilter
                    .newBuilder().setId(filter.getId()).setPodSandboxId(filter.getPodSandboxId())
                    .putAllLabelSelector(filter.getLabelSelectorMap()).build()).test(c))) {
                response.addStats(StatsProtos.container(stats.container(container)));
            }
            return response.build();
        });
    }

    @Override
    public void podSandboxStats(PodSandboxStatsRequest request, StreamObserver<PodSandboxStatsResponse> observer) {
        Rpc.unary("PodSandboxStats", observer, () -> {
            SandboxRecord sandbox = sandboxes.get(requireId("pod_sandbox_id", request.getPodSandboxId()));
            return PodSandboxStatsResponse.newBuilder()
                    .setStats(StatsProtos.pod(stats.pod(sandbox, containers.inSandbox(sandbox.id()))))
                    .build();
        });
    }

    @Override
    public void listPodSandboxStats(ListPodSandboxStatsRequest request,
            StreamObserver<ListPodSandboxStatsResponse> observer) {
        Rpc.unary("ListPodSandboxStats", observer, () -> {
            var filter = request.getFilter();
            ListPodSandboxStatsResponse.Builder response = ListPodSandboxStatsResponse.newBuilder();
            List<SandboxRecord> selected = sandboxes.list(s -> s.state() == dev.berth.sandbox.SandboxState.READY
                    && (filter.getId().isEmpty() || s.id().startsWith(filter.getId()))
                    && LabelSelectors.match(s.metadata().labels(), filter.getLabelSelectorMap()));
            for (SandboxRecord sandbox : selected) {
                response.addStats(StatsProtos.pod(stats.pod(sandbox, containers.inSandbox(sandbox.id()))));
            }
            return response.build();
        });
    }

    @Override
    public void exec(ExecRequest request, StreamObserver<ExecResponse> observer) {
        Rpc.unary("Exec", observer, () -> ExecResponse.newBuilder().setUrl(streaming.exec(request)).build());
    }

    @Override
    public void attach(AttachRequest request, StreamObserver<AttachResponse> observer) {
        Rpc.unary("Attach", observer, () -> AttachResponse.newBuilder().setUrl(streaming.attach(request)).build());
    }

    @Override
    public void portForward(PortForwardRequest request, StreamObserver<PortForwardResponse> observer) {
        Rpc.unary("PortForward", observer, () -> PortForwardResponse.newBuilder()
                .setUrl(streaming.portForward(request)).build());
    }

    @Override
    public void updateRuntimeConfig(UpdateRuntimeConfigRequest request,
            StreamObserver<UpdateRuntimeConfigResponse> observer) {
        Rpc.unary("UpdateRuntimeConfig", observer, () -> {
            String podCidr = request.getRuntimeConfig().getNetworkConfig().getPodCidr();
            if (!podCidr.isBlank()) {
                network.usePodCidr(podCidr);
            }
            return UpdateRuntimeConfigResponse.getDefaultInstance();
        });
    }

    @Override
    public void updatePodSandboxResources(UpdatePodSandboxResourcesRequest request,
            StreamObserver<UpdatePodSandboxResourcesResponse> observer) {
        Rpc.unary("UpdatePodSandboxResources", observer, () -> {
            sandboxes.updateResources(requireId("pod_sandbox_id", request.getPodSandboxId()), request.getOverhead(),
                    request.getResources());
            return UpdatePodSandboxResourcesResponse.getDefaultInstance();
        });
    }

    @Override
    public void getContainerEvents(GetEventsRequest request, StreamObserver<ContainerEventResponse> observer) {
        events.getContainerEvents(request, observer);
    }

    @Override
    public void listMetricDescriptors(ListMetricDescriptorsRequest request,
            StreamObserver<ListMetricDescriptorsResponse> observer) {
        Rpc.unary("ListMetricDescriptors", observer, metrics::descriptors);
    }

    @Override
    public void listPodSandboxMetrics(ListPodSandboxMetricsRequest request,
            StreamObserver<ListPodSandboxMetricsResponse> observer) {
        Rpc.unary("ListPodSandboxMetrics", observer, () -> ListPodSandboxMetricsResponse.newBuilder()
                .addAllPodMetrics(metrics.podMetrics()).build());
    }

    private static String requireId(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }
}
