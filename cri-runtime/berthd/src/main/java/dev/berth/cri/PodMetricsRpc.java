package dev.berth.cri;

import dev.berth.cgroup.CgroupManager;
import dev.berth.container.ContainerRecord;
import dev.berth.container.ContainerService;
import dev.berth.container.ContainerState;
import dev.berth.cri.v1.ContainerMetrics;
import dev.berth.cri.v1.ListMetricDescriptorsResponse;
import dev.berth.cri.v1.Metric;
import dev.berth.cri.v1.MetricDescriptor;
import dev.berth.cri.v1.MetricType;
import dev.berth.cri.v1.PodSandboxMetrics;
import dev.berth.cri.v1.UInt64Value;
import dev.berth.sandbox.CriResources;
import dev.berth.sandbox.SandboxRecord;
import dev.berth.sandbox.SandboxService;
import dev.berth.sandbox.SandboxState;
import dev.berth.stats.CadvisorMetrics;
import dev.berth.stats.InterfaceUsage;
import dev.berth.stats.MetricSample;
import dev.berth.stats.NetworkCounters;
import dev.berth.store.Timestamps;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** ListMetricDescriptors and ListPodSandboxMetrics: the ready pods' cAdvisor metrics, read on each call. */
final class PodMetricsRpc {

    private final SandboxService sandboxes;
    private final ContainerService containers;
    private final CgroupManager cgroups;
    private final NetworkCounters network;
    private final CadvisorMetrics metrics = new CadvisorMetrics();

    PodMetricsRpc(SandboxService sandboxes, ContainerService containers, CgroupManager cgroups,
            NetworkCounters network) {
        this.sandboxes = sandboxes;
        this.containers = containers;
        this.cgroups = cgroups;
        this.network = network;
    }

    ListMetricDescriptorsResponse descriptors() {
        ListMetricDescriptorsResponse.Builder response = ListMetricDescriptorsResponse.newBuilder();
        for (dev.berth.stats.MetricDescriptor descriptor : metrics.descriptors()) {
            response.addDescriptors(MetricDescriptor.newBuilder().setName(descriptor.name())
                    .setHelp(descriptor.help()).addAllLabelKeys(descriptor.labelKeys()));
        }
        return response.build();
    }

    List<PodSandboxMetrics> podMetrics() throws IOException {
        List<PodSandboxMetrics> result = new ArrayList<>();
        for (SandboxRecord sandbox : sandboxes.list(s -> s.state() == SandboxState.READY)) {
            result.add(pod(sandbox));
        }
        return result;
    }

    private PodSandboxMetrics pod(SandboxRecord sandbox) throws IOException {
        PodSandboxMetrics.Builder pod = PodSandboxMetrics.newBuilder().setPodSandboxId(sandbox.id());
        List<ContainerRecord> running = containers.inSandbox(sandbox.id()).stream()
                .filter(c -> c.state() == ContainerState.RUNNING).toList();
        for (ContainerRecord container : running) {
            if (!cgroups.exists(container.cgroupPath())) {
                continue;
            }
            List<MetricSample> samples = metrics.container(container.id(), container.name(), container.image(),
                    cgroups.stats(container.cgroupPath()), CriResources.toCgroup(ContainerProtos.resources(container)));
            pod.addContainerMetrics(ContainerMetrics.newBuilder().setContainerId(container.id())
                    .addAllMetrics(samples.stream().map(PodMetricsRpc::proto).toList()));
        }
        // the pod's interfaces are seen through any process in its network namespace
        List<InterfaceUsage> interfaces = running.stream().filter(c -> c.pid() > 0).findFirst()
                .map(c -> readInterfaces(c.pid())).orElse(List.of());
        metrics.pod(sandbox.id(), interfaces, Timestamps.nowNanos()).forEach(s -> pod.addMetrics(proto(s)));
        return pod.build();
    }

    private List<InterfaceUsage> readInterfaces(int pid) {
        try {
            return network.read(pid);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
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
