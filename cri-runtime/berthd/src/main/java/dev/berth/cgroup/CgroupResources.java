package dev.berth.cgroup;

import java.util.Map;

/**
 * The limits of one cgroup, protocol-independent. 0 / null / empty means "not set" (CRI semantics), so an
 * update that leaves a field out leaves the kernel's current value alone. {@code hugepageLimits} maps the
 * page size as CRI names it ("2MB", "1GB") to bytes; {@code unified} holds cgroup v2 file names and values
 * written verbatim.
 */
public record CgroupResources(
        long cpuShares,
        long cpuQuota,
        long cpuPeriod,
        String cpusetCpus,
        String cpusetMems,
        long memoryLimitBytes,
        long memorySwapLimitBytes,
        long pidsLimit,
        Map<String, Long> hugepageLimits,
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

    public CgroupResources withPidsLimit(long limit) {
        return new CgroupResources(
                cpuShares,
                cpuQuota,
                cpuPeriod,
                cpusetCpus,
                cpusetMems,
                memoryLimitBytes,
                memorySwapLimitBytes,
                limit,
                hugepageLimits,
                unified);
    }
}
