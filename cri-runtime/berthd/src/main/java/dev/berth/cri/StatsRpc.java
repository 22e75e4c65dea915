package dev.berth.cri;

import dev.berth.container.ContainerRecord;
import dev.berth.container.ContainerService;
import dev.berth.cri.v1.ContainerFilter;
import dev.berth.cri.v1.ContainerStatsRequest;
import dev.berth.cri.v1.ContainerStatsResponse;
import dev.berth.cri.v1.ListContainerStatsRequest;
import dev.berth.cri.v1.ListContainerStatsResponse;
import dev.berth.cri.v1.ListPodSandboxStatsRequest;
import dev.berth.cri.v1.ListPodSandboxStatsResponse;
import dev.berth.cri.v1.PodSandboxStatsRequest;
import dev.berth.cri.v1.PodSandboxStatsResponse;
import dev.berth.cri.validation.Requests;
import dev.berth.sandbox.SandboxRecord;
import dev.berth.sandbox.SandboxService;
import dev.berth.sandbox.SandboxState;
import dev.berth.stats.StatsService;
import io.grpc.stub.StreamObserver;
import java.util.List;

/** ContainerStats, ListContainerStats, PodSandboxStats and ListPodSandboxStats: the stats feature's samples. */
final class StatsRpc {

    private final SandboxService sandboxes;
    private final ContainerService containers;
    private final StatsService stats;

    StatsRpc(SandboxService sandboxes, ContainerService containers, StatsService stats) {
        this.sandboxes = sandboxes;
        this.containers = containers;
        this.stats = stats;
    }

    void containerStats(ContainerStatsRequest request, StreamObserver<ContainerStatsResponse> observer) {
        Rpc.unary(
                "ContainerStats",
                observer,
                () -> ContainerStatsResponse.newBuilder()
                        .setStats(StatsProtos.container(stats.container(
                                containers.get(Rpc.requireId("container_id", request.getContainerId())))))
                        .build());
    }

    void listContainerStats(ListContainerStatsRequest request, StreamObserver<ListContainerStatsResponse> observer) {
        Rpc.unary("ListContainerStats", observer, () -> {
            var filter = request.getFilter();
            Requests.check(filter);
            ListContainerStatsResponse.Builder response = ListContainerStatsResponse.newBuilder();
            for (ContainerRecord container : containers.list(c -> c.isLive()
                    && ContainerProtos.filter(ContainerFilter.newBuilder()
                                    .setId(filter.getId())
                                    .setPodSandboxId(filter.getPodSandboxId())
                                    .putAllLabelSelector(filter.getLabelSelectorMap())
                                    .build())
                            .test(c))) {
                response.addStats(StatsProtos.container(stats.container(container)));
            }
            return response.build();
        });
    }

    void podSandboxStats(PodSandboxStatsRequest request, StreamObserver<PodSandboxStatsResponse> observer) {
        Rpc.unary("PodSandboxStats", observer, () -> {
            SandboxRecord sandbox = sandboxes.get(Rpc.requireId("pod_sandbox_id", request.getPodSandboxId()));
            return PodSandboxStatsResponse.newBuilder()
                    .setStats(StatsProtos.pod(stats.pod(sandbox, containers.inSandbox(sandbox.id()))))
                    .build();
        });
    }

    void listPodSandboxStats(ListPodSandboxStatsRequest request, StreamObserver<ListPodSandboxStatsResponse> observer) {
        Rpc.unary("ListPodSandboxStats", observer, () -> {
            var filter = request.getFilter();
            Requests.check(filter);
            ListPodSandboxStatsResponse.Builder response = ListPodSandboxStatsResponse.newBuilder();
            List<SandboxRecord> selected = sandboxes.list(s -> s.state() == SandboxState.READY
                    && (filter.getId().isEmpty() || s.id().startsWith(filter.getId()))
                    && LabelSelectors.match(s.metadata().labels(), filter.getLabelSelectorMap()));
            for (SandboxRecord sandbox : selected) {
                response.addStats(StatsProtos.pod(stats.pod(sandbox, containers.inSandbox(sandbox.id()))));
            }
            return response.build();
        });
    }
}
