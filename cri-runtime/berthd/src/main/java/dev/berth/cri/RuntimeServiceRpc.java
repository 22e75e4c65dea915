package dev.berth.cri;

import dev.berth.container.ContainerPaths;
import dev.berth.container.ContainerService;
import dev.berth.cri.v1.AttachRequest;
import dev.berth.cri.v1.AttachResponse;
import dev.berth.cri.v1.ContainerEventResponse;
import dev.berth.cri.v1.ContainerStatsRequest;
import dev.berth.cri.v1.ContainerStatsResponse;
import dev.berth.cri.v1.ContainerStatusRequest;
import dev.berth.cri.v1.ContainerStatusResponse;
import dev.berth.cri.v1.CreateContainerRequest;
import dev.berth.cri.v1.CreateContainerResponse;
import dev.berth.cri.v1.ExecRequest;
import dev.berth.cri.v1.ExecResponse;
import dev.berth.cri.v1.ExecSyncRequest;
import dev.berth.cri.v1.ExecSyncResponse;
import dev.berth.cri.v1.GetEventsRequest;
import dev.berth.cri.v1.ListContainerStatsRequest;
import dev.berth.cri.v1.ListContainerStatsResponse;
import dev.berth.cri.v1.ListContainersRequest;
import dev.berth.cri.v1.ListContainersResponse;
import dev.berth.cri.v1.ListMetricDescriptorsRequest;
import dev.berth.cri.v1.ListMetricDescriptorsResponse;
import dev.berth.cri.v1.ListPodSandboxMetricsRequest;
import dev.berth.cri.v1.ListPodSandboxMetricsResponse;
import dev.berth.cri.v1.ListPodSandboxRequest;
import dev.berth.cri.v1.ListPodSandboxResponse;
import dev.berth.cri.v1.ListPodSandboxStatsRequest;
import dev.berth.cri.v1.ListPodSandboxStatsResponse;
import dev.berth.cri.v1.PodSandboxStatsRequest;
import dev.berth.cri.v1.PodSandboxStatsResponse;
import dev.berth.cri.v1.PodSandboxStatusRequest;
import dev.berth.cri.v1.PodSandboxStatusResponse;
import dev.berth.cri.v1.PortForwardRequest;
import dev.berth.cri.v1.PortForwardResponse;
import dev.berth.cri.v1.RemoveContainerRequest;
import dev.berth.cri.v1.RemoveContainerResponse;
import dev.berth.cri.v1.RemovePodSandboxRequest;
import dev.berth.cri.v1.RemovePodSandboxResponse;
import dev.berth.cri.v1.ReopenContainerLogRequest;
import dev.berth.cri.v1.ReopenContainerLogResponse;
import dev.berth.cri.v1.RunPodSandboxRequest;
import dev.berth.cri.v1.RunPodSandboxResponse;
import dev.berth.cri.v1.RuntimeConfigRequest;
import dev.berth.cri.v1.RuntimeConfigResponse;
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
import dev.berth.cri.v1.UpdatePodSandboxResourcesRequest;
import dev.berth.cri.v1.UpdatePodSandboxResourcesResponse;
import dev.berth.cri.v1.UpdateRuntimeConfigRequest;
import dev.berth.cri.v1.UpdateRuntimeConfigResponse;
import dev.berth.cri.v1.VersionRequest;
import dev.berth.cri.v1.VersionResponse;
import dev.berth.events.ContainerEvents;
import dev.berth.network.PodNetwork;
import dev.berth.node.NodeReadiness;
import dev.berth.runtime.RuntimeHandlers;
import dev.berth.sandbox.SandboxService;
import dev.berth.stats.StatsService;
import dev.berth.store.Json;
import dev.berth.streaming.StreamingServer;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.Executor;

/**
 * CRI RuntimeService, the one service gRPC binds: a routing table that hands each call to the class of its area,
 * where it is validated, served by the feature and mapped to protobuf: {@link PodSandboxRpc}, {@link ContainerRpc},
 * {@link StreamingRpc} (Exec, Attach and PortForward answer with a URL on berthd's streaming server),
 * {@link StatsRpc}, {@link NodeRpc}, {@link ContainerEventsRpc} and {@link PodMetricsRpc}; the Stream* calls are
 * their List call in batches ({@link ListStreamingRpc}). CheckpointContainer answers UNIMPLEMENTED (the generated
 * base class does that): kubelet calls it only behind its ContainerCheckpoint gate and reports it as unsupported.
 */
public final class RuntimeServiceRpc extends ListStreamingRpc {

    private final NodeRpc nodeRpc;
    private final PodSandboxRpc podRpc;
    private final ContainerRpc containerRpc;
    private final StreamingRpc streamingRpc;
    private final StatsRpc statsRpc;
    private final ContainerEventsRpc eventsRpc;
    private final PodMetricsRpc metricsRpc;

    public RuntimeServiceRpc(
            NodeReadiness readiness,
            RuntimeHandlers handlers,
            String runtimeVersion,
            SandboxService sandboxes,
            ContainerService containers,
            Json json,
            ContainerPaths paths,
            StatsService stats,
            ContainerEvents containerEvents,
            PodNetwork network,
            StreamingServer streamingServer,
            Executor executor) {
        SandboxProtos sandboxProtos = new SandboxProtos(json);
        ContainerProtos containerProtos = new ContainerProtos(json, paths);
        this.nodeRpc = new NodeRpc(readiness, handlers, runtimeVersion, network);
        this.podRpc = new PodSandboxRpc(sandboxes, sandboxProtos);
        this.containerRpc = new ContainerRpc(sandboxes, containers, containerProtos, executor);
        this.streamingRpc = new StreamingRpc(streamingServer, sandboxes, containers);
        this.statsRpc = new StatsRpc(sandboxes, containers, stats);
        this.eventsRpc = new ContainerEventsRpc(containerEvents, sandboxProtos, containerProtos);
        this.metricsRpc = new PodMetricsRpc(sandboxes, containers, stats);
    }

    @Override
    public void version(VersionRequest request, StreamObserver<VersionResponse> observer) {
        nodeRpc.version(request, observer);
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> observer) {
        nodeRpc.status(request, observer);
    }

    @Override
    public void runtimeConfig(RuntimeConfigRequest request, StreamObserver<RuntimeConfigResponse> observer) {
        nodeRpc.runtimeConfig(request, observer);
    }

    @Override
    public void updateRuntimeConfig(
            UpdateRuntimeConfigRequest request, StreamObserver<UpdateRuntimeConfigResponse> observer) {
        nodeRpc.updateRuntimeConfig(request, observer);
    }

    @Override
    public void runPodSandbox(RunPodSandboxRequest request, StreamObserver<RunPodSandboxResponse> observer) {
        podRpc.runPodSandbox(request, observer);
    }

    @Override
    public void stopPodSandbox(StopPodSandboxRequest request, StreamObserver<StopPodSandboxResponse> observer) {
        podRpc.stopPodSandbox(request, observer);
    }

    @Override
    public void removePodSandbox(RemovePodSandboxRequest request, StreamObserver<RemovePodSandboxResponse> observer) {
        podRpc.removePodSandbox(request, observer);
    }

    @Override
    public void podSandboxStatus(PodSandboxStatusRequest request, StreamObserver<PodSandboxStatusResponse> observer) {
        podRpc.podSandboxStatus(request, observer);
    }

    @Override
    public void listPodSandbox(ListPodSandboxRequest request, StreamObserver<ListPodSandboxResponse> observer) {
        podRpc.listPodSandbox(request, observer);
    }

    @Override
    public void updatePodSandboxResources(
            UpdatePodSandboxResourcesRequest request, StreamObserver<UpdatePodSandboxResourcesResponse> observer) {
        podRpc.updatePodSandboxResources(request, observer);
    }

    @Override
    public void createContainer(CreateContainerRequest request, StreamObserver<CreateContainerResponse> observer) {
        containerRpc.createContainer(request, observer);
    }

    @Override
    public void startContainer(StartContainerRequest request, StreamObserver<StartContainerResponse> observer) {
        containerRpc.startContainer(request, observer);
    }

    @Override
    public void stopContainer(StopContainerRequest request, StreamObserver<StopContainerResponse> observer) {
        containerRpc.stopContainer(request, observer);
    }

    @Override
    public void removeContainer(RemoveContainerRequest request, StreamObserver<RemoveContainerResponse> observer) {
        containerRpc.removeContainer(request, observer);
    }

    @Override
    public void listContainers(ListContainersRequest request, StreamObserver<ListContainersResponse> observer) {
        containerRpc.listContainers(request, observer);
    }

    @Override
    public void containerStatus(ContainerStatusRequest request, StreamObserver<ContainerStatusResponse> observer) {
        containerRpc.containerStatus(request, observer);
    }

    @Override
    public void updateContainerResources(
            UpdateContainerResourcesRequest request, StreamObserver<UpdateContainerResourcesResponse> observer) {
        containerRpc.updateContainerResources(request, observer);
    }

    @Override
    public void reopenContainerLog(
            ReopenContainerLogRequest request, StreamObserver<ReopenContainerLogResponse> observer) {
        containerRpc.reopenContainerLog(request, observer);
    }

    @Override
    public void execSync(ExecSyncRequest request, StreamObserver<ExecSyncResponse> observer) {
        containerRpc.execSync(request, observer);
    }

    @Override
    public void exec(ExecRequest request, StreamObserver<ExecResponse> observer) {
        streamingRpc.exec(request, observer);
    }

    @Override
    public void attach(AttachRequest request, StreamObserver<AttachResponse> observer) {
        streamingRpc.attach(request, observer);
    }

    @Override
    public void portForward(PortForwardRequest request, StreamObserver<PortForwardResponse> observer) {
        streamingRpc.portForward(request, observer);
    }

    @Override
    public void containerStats(ContainerStatsRequest request, StreamObserver<ContainerStatsResponse> observer) {
        statsRpc.containerStats(request, observer);
    }

    @Override
    public void listContainerStats(
            ListContainerStatsRequest request, StreamObserver<ListContainerStatsResponse> observer) {
        statsRpc.listContainerStats(request, observer);
    }

    @Override
    public void podSandboxStats(PodSandboxStatsRequest request, StreamObserver<PodSandboxStatsResponse> observer) {
        statsRpc.podSandboxStats(request, observer);
    }

    @Override
    public void listPodSandboxStats(
            ListPodSandboxStatsRequest request, StreamObserver<ListPodSandboxStatsResponse> observer) {
        statsRpc.listPodSandboxStats(request, observer);
    }

    @Override
    public void getContainerEvents(GetEventsRequest request, StreamObserver<ContainerEventResponse> observer) {
        eventsRpc.getContainerEvents(request, observer);
    }

    @Override
    public void listMetricDescriptors(
            ListMetricDescriptorsRequest request, StreamObserver<ListMetricDescriptorsResponse> observer) {
        Rpc.unary("ListMetricDescriptors", observer, metricsRpc::descriptors);
    }

    @Override
    public void listPodSandboxMetrics(
            ListPodSandboxMetricsRequest request, StreamObserver<ListPodSandboxMetricsResponse> observer) {
        Rpc.unary(
                "ListPodSandboxMetrics",
                observer,
                () -> ListPodSandboxMetricsResponse.newBuilder()
                        .addAllPodMetrics(metricsRpc.podMetrics())
                        .build());
    }
}
