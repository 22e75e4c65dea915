package dev.berth.stats;

import dev.berth.cgroup.CgroupManager;
import dev.berth.cgroup.CgroupResources;
import dev.berth.cgroup.CgroupStats;
import dev.berth.container.ContainerRecord;
import dev.berth.container.ContainerRootfs;
import dev.berth.container.ContainerState;
import dev.berth.sandbox.PodEvents;
import dev.berth.sandbox.SandboxRecord;
import dev.berth.store.Timestamps;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Container and pod usage and cAdvisor metrics, read from the cgroups berthd created, the containers' writable layers and the
 * pods' network namespaces. Keeps the previous CPU reading of each container and pod for their rates, and
 * forgets it when the container or pod is removed.
 */
public final class StatsService implements PodEvents {

    private final CgroupManager cgroups;
    private final ContainerRootfs rootfs;
    private final NetworkCounters network;
    private final CpuRates rates = new CpuRates();
    private final CadvisorMetrics metrics = new CadvisorMetrics();

    public StatsService(CgroupManager cgroups, ContainerRootfs rootfs, NetworkCounters network) {
        this.cgroups = cgroups;
        this.rootfs = rootfs;
        this.network = network;
    }

    public ContainerUsage container(ContainerRecord record) throws IOException {
        long now = Timestamps.nowNanos();
        CgroupStats usage = null;
        long nanoCores = -1;
        if (record.state() == ContainerState.RUNNING && cgroups.exists(record.cgroupPath())) {
            usage = cgroups.stats(record.cgroupPath());
            nanoCores = rates.rate(record.id(), usage.timestampNanos(), usage.cpuUsageNanos());
        }
        ContainerRootfs.WritableUsage writable = rootfs.usage(record.id());
        return new ContainerUsage(
                record, usage, nanoCores, now, writable.upperDir(), writable.bytes(), writable.inodes());
    }

    public PodUsage pod(SandboxRecord sandbox, List<ContainerRecord> containers) throws IOException {
        CgroupStats usage = null;
        long nanoCores = -1;
        if (cgroups.exists(sandbox.cgroupPath())) {
            usage = cgroups.stats(sandbox.cgroupPath());
            nanoCores = rates.rate(podKey(sandbox.id()), usage.timestampNanos(), usage.cpuUsageNanos());
        }
        List<ContainerUsage> each = new ArrayList<>();
        for (ContainerRecord container : containers) {
            each.add(container(container));
        }
        PodUsage.NetworkUsage interfaces = containers.stream()
                .filter(c -> c.state() == ContainerState.RUNNING && c.status().pid() > 0)
                .findFirst()
                .map(c -> network(c.status().pid()))
                .orElse(null);
        return new PodUsage(sandbox, usage, nanoCores, each, interfaces);
    }

    /** What CRI's ListMetricDescriptors announces. */
    public List<MetricDescriptor> metricDescriptors() {
        return metrics.descriptors();
    }

    /**
     * The pod's cAdvisor metrics, from its running containers' cgroups and its interfaces.
     *
     * @param limits each container's cgroup limits, for the metrics that report them
     */
    public PodMetrics podMetrics(
            SandboxRecord sandbox, List<ContainerRecord> containers, Function<ContainerRecord, CgroupResources> limits)
            throws IOException {
        List<ContainerRecord> running = containers.stream()
                .filter(c -> c.state() == ContainerState.RUNNING)
                .toList();
        Map<String, List<MetricSample>> byContainer = new LinkedHashMap<>();
        for (ContainerRecord container : running) {
            if (cgroups.exists(container.cgroupPath())) {
                byContainer.put(
                        container.id(),
                        metrics.container(
                                container.id(),
                                container.name(),
                                container.metadata().image(),
                                cgroups.stats(container.cgroupPath()),
                                limits.apply(container)));
            }
        }
        // the pod's interfaces are seen through any process in its network namespace
        List<InterfaceUsage> interfaces = running.stream()
                .filter(c -> c.status().pid() > 0)
                .findFirst()
                .map(c -> network(c.status().pid()).interfaces())
                .orElse(List.of());
        return new PodMetrics(sandbox.id(), byContainer, metrics.pod(sandbox.id(), interfaces, Timestamps.nowNanos()));
    }

    private PodUsage.NetworkUsage network(int pid) {
        long now = Timestamps.nowNanos();
        try {
            return new PodUsage.NetworkUsage(now, network.read(pid));
        } catch (IOException | RuntimeException e) {
            return new PodUsage.NetworkUsage(now, List.of());
        }
    }

    @Override
    public void deleted(String containerId, String sandboxId) {
        rates.forget(containerId);
    }

    @Override
    public void podDeleted(SandboxRecord removed) {
        rates.forget(podKey(removed.id()));
    }

    /** How many CPU readings are kept: one per container and pod read since it was made. */
    int trackedCpuSamples() {
        return rates.size();
    }

    private static String podKey(String sandboxId) {
        return "pod-" + sandboxId;
    }
}
