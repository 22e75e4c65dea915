package dev.berth.sandbox;

import dev.berth.cgroup.CgroupResources;
import dev.berth.cri.v1.HugepageLimit;
import dev.berth.cri.v1.LinuxContainerResources;
import java.util.LinkedHashMap;
import java.util.Map;

/** CRI's resources as cgroup limits: the mapping sits with the features that take CRI configs, not in cgroup. */
public final class CriResources {

    private CriResources() {}

    /** CRI carries no pids limit per container (kubelet sets it on the pod cgroup), so pidsLimit stays 0. */
    public static CgroupResources toCgroup(LinuxContainerResources r) {
        if (r == null) {
            return CgroupResources.none();
        }
        Map<String, Long> hugepages = new LinkedHashMap<>();
        for (HugepageLimit limit : r.getHugepageLimitsList()) {
            hugepages.put(limit.getPageSize(), limit.getLimit());
        }
        return new CgroupResources(
                r.getCpuShares(),
                r.getCpuQuota(),
                r.getCpuPeriod(),
                r.getCpusetCpus(),
                r.getCpusetMems(),
                r.getMemoryLimitInBytes(),
                r.getMemorySwapLimitInBytes(),
                0,
                hugepages,
                r.getUnifiedMap());
    }
}
