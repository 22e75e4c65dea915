package dev.berth.container;

import dev.berth.cgroup.CgroupResources;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The resources in force for a container, field for field what CRI's LinuxContainerResources carries; 0 / empty
 * means "not set". {@code hugepageLimits} maps the page size as CRI names it ("2MB") to bytes, in request order;
 * {@code unified} holds cgroup v2 file names and values.
 */
public record ContainerResources(
        long cpuPeriod,
        long cpuQuota,
        long cpuShares,
        long memoryLimitBytes,
        long oomScoreAdj,
        String cpusetCpus,
        String cpusetMems,
        Map<String, Long> hugepageLimits,
        Map<String, String> unified,
        long memorySwapLimitBytes) {

    public static final ContainerResources NONE = new ContainerResources(0, 0, 0, 0, 0, "", "", Map.of(), Map.of(), 0);

    public ContainerResources {
        cpusetCpus = cpusetCpus == null ? "" : cpusetCpus;
        cpusetMems = cpusetMems == null ? "" : cpusetMems;
        hugepageLimits =
                hugepageLimits == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(hugepageLimits));
        unified = unified == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(unified));
    }

    /** The container cgroup's limits; CRI sets no pids limit per container (kubelet sets it on the pod). */
    public CgroupResources cgroupLimits() {
        return new CgroupResources(
                cpuShares,
                cpuQuota,
                cpuPeriod,
                cpusetCpus,
                cpusetMems,
                memoryLimitBytes,
                memorySwapLimitBytes,
                0,
                hugepageLimits,
                unified);
    }
}
