package dev.berth.cri;

import dev.berth.container.ContainerService;
import dev.berth.cri.v1.ContainerMetrics;
import dev.berth.cri.v1.ListMetricDescriptorsResponse;
import dev.berth.cri.v1.Metric;
import dev.berth.cri.v1.MetricDescriptor;
import dev.berth.cri.v1.MetricType;
import dev.berth.cri.v1.PodSandboxMetrics;
import dev.berth.cri.v1.UInt64Value;
import dev.berth.sandbox.SandboxRecord;
import dev.berth.sandbox.SandboxService;
import dev.berth.sandbox.SandboxState;
import dev.berth.stats.MetricSample;
import dev.berth.stats.PodMetrics;
import dev.berth.stats.StatsService;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** ListMetricDescriptors and ListPodSandboxMetrics: the ready pods' cAdvisor metrics, read on each call. */
final class PodMetricsRpc {

    private final SandboxService sandboxes;
    private final ContainerService containers;
    private final StatsService stats;

    PodMetricsRpc(SandboxService sandboxes, ContainerService containers, StatsService stats) {
        this.sandboxes = sandboxes;
        this.containers = containers;
        this.stats = stats;
    }

    ListMetricDescriptorsResponse descriptors() {
        ListMetricDescriptorsResponse.Builder response = ListMetricDescriptorsResponse.newBuilder();
        for (dev.berth.stats.MetricDescriptor descriptor : stats.metricDescriptors()) {
            response.addDescriptors(MetricDescriptor.newBuilder()
                    .setName(descriptor.name())
                    .setHelp(descriptor.help())
                    .addAllLabelKeys(descriptor.labelKeys()));
        }
        return response.build();
    }

    List<PodSandboxMetrics> podMetrics() throws IOException {
        List<PodSandboxMetrics> result = new ArrayList<>();
        for (SandboxRecord sandbox : sandboxes.list(s -> s.state() == SandboxState.READY)) {
            PodMetrics metrics = stats.podMetrics(
                    sandbox,
                    containers.inSandbox(sandbox.id()),
                    container -> container.status().resources().cgroupLimits());
            result.add(proto(metrics));
        }
        return result;
    }

    private static PodSandboxMetrics proto(PodMetrics metrics) {
        PodSandboxMetrics.Builder pod = PodSandboxMetrics.newBuilder().setPodSandboxId(metrics.sandboxId());
        for (Map.Entry<String, List<MetricSample>> container :
                metrics.containers().entrySet()) {
            pod.addContainerMetrics(ContainerMetrics.newBuilder()
                    .setContainerId(container.getKey())
                    .addAllMetrics(container.getValue().stream()
                            .map(PodMetricsRpc::proto)
                            .toList()));
        }
        metrics.pod().forEach(s -> pod.addMetrics(proto(s)));
        return pod.build();
    }

    private static Metric proto(MetricSample sample) {
        return Metric.newBuilder()
                .setName(sample.name())
                .setTimestamp(sample.timestampNanos())
                .setMetricType(sample.counter() ? MetricType.COUNTER : MetricType.GAUGE)
                .addAllLabelValues(sample.labelValues())
                .setValue(UInt64Value.newBuilder().setValue(sample.value()))
                .build();
    }
}
