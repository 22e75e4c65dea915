package dev.berth.sandbox;

import dev.berth.cri.v1.LinuxContainerResources;

/**
 * The pod cgroup's size from what kubelet sends: it subtracts the pod's overhead from the pod's resources
 * and sends both (UpdatePodSandboxResources), so the cgroup is their sum again. A limit left unset (0) is
 * "unlimited" and stays so; overhead alone never turns it into a limit.
 */
final class PodResources {

    private PodResources() {}

    static LinuxContainerResources withOverhead(LinuxContainerResources resources, LinuxContainerResources overhead) {
        LinuxContainerResources.Builder total = resources.toBuilder();
        if (resources.getMemoryLimitInBytes() > 0) {
            total.setMemoryLimitInBytes(
                    resources.getMemoryLimitInBytes() + Math.max(0, overhead.getMemoryLimitInBytes()));
        }
        if (resources.getCpuShares() > 0) {
            total.setCpuShares(resources.getCpuShares() + Math.max(0, overhead.getCpuShares()));
        }
        boolean samePeriod = overhead.getCpuPeriod() == 0 || overhead.getCpuPeriod() == resources.getCpuPeriod();
        if (resources.getCpuQuota() > 0 && overhead.getCpuQuota() > 0 && samePeriod) {
            total.setCpuQuota(resources.getCpuQuota() + overhead.getCpuQuota());
        }
        return total.build();
    }
}
