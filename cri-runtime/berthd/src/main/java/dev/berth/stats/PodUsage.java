package dev.berth.stats;

import dev.berth.cgroup.CgroupStats;
import dev.berth.sandbox.SandboxRecord;
import java.util.List;

/**
 * One reading of a pod's usage.
 *
 * @param cgroup       the pod cgroup's counters; null when it is gone
 * @param cpuNanoCores CPU use since the previous reading; -1 for the first one (or none)
 * @param network      the pod's interfaces as a process in its network namespace sees them; null with no
 *                     running container to look through
 */
public record PodUsage(
        SandboxRecord sandbox,
        CgroupStats cgroup,
        long cpuNanoCores,
        List<ContainerUsage> containers,
        NetworkUsage network) {

    public PodUsage {
        containers = List.copyOf(containers);
    }

    /** @param interfaces empty when they could not be read */
    public record NetworkUsage(long timestampNanos, List<InterfaceUsage> interfaces) {

        public NetworkUsage {
            interfaces = List.copyOf(interfaces);
        }
    }
}
