package dev.berth.cgroup;

import dev.berth.cri.v1.HugepageLimit;
import dev.berth.cri.v1.LinuxContainerResources;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The limits of one cgroup, protocol-independent. 0 / null / empty means "not set" (CRI semantics), so an
 * update that leaves a field out leaves the kernel's current value alone. {@code hugepageLimits} maps the
 * page size as CRI names it ("2MB", "1GB") to bytes; {@code unified} holds cgroup v2 file names and values
 * written verbatim.
 */
public record CgroupResources(long cpuShares, long cpuQuota, long cpuPeriod, String cpusetCpus, String cpusetMems,
        long memoryLimitBytes, long memorySwapLimitBytes, long pidsLimit, Map<String, Long> hugepageLimits,
        Map<String, String> unified) {

    public CgroupResources {
        cpusetCpus = cpusetCpus == null ? "" : cpusetCpus;
        cpusetMems = cpusetMems == null ? "" : cpusetMems;
        hugepageLimits = hugepageLimits == null ? Map.of() : Map.copyOf(hugepageLimits);
        unified = unified == null ? Map.of() : Map.copyOf(unified);
    }

    public static CgroupResources none() {
        return new CgroupResources(0, 0, 0, "", "", 0, 0, 0, Map.of(), Map.of());
    }

    /** CRI carries no pids limit per container (kubelet sets it on the pod cgroup), so pidsLimit stays 0. */
    public static CgroupResources fromCri(LinuxContainerResources r) {
        if (r == null) {
            return none();
        }
        Map<String, Long> hugepages = new LinkedHashMap<>();
        for (HugepageLimit limit : r.getHugepageLimitsList()) {
            hugepages.put(limit.getPageSize(), limit.getLimit());
        }
        return new CgroupResources(r.getCpuShares(), r.getCpuQuota(), r.getCpuPeriod(), r.getCpusetCpus(),
                r.getCpusetMems(), r.getMemoryLimitInBytes(), r.getMemorySwapLimitInBytes(), 0, hugepages,
                r.getUnifiedMap());
    }

    public CgroupResources withPidsLimit(long limit) {
        return new CgroupResources(cpuShares, cpuQuota, cpuPeriod, cpusetCpus, cpusetMems, memoryLimitBytes,
                memorySwapLimitBytes, limit, hugepageLimits, unified);
    }
}
