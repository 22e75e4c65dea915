package dev.berth.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cri.v1.HugepageLimit;
import dev.berth.cri.v1.LinuxContainerResources;

/**
 * linux.resources from the CRI's LinuxContainerResources, with containerd's rules: zero means "not set"; a memory
 * limit without a swap limit also caps swap at the same value (no swapping by default) where swap is accounted;
 * hugepage limits only where the hugetlb controller exists; the "unified" map only on cgroup v2 (refused on v1).
 */
final class ResourcesSpec {

    private final ObjectMapper mapper;
    private final HostFacts host;

    ResourcesSpec(ObjectMapper mapper, HostFacts host) {
        this.mapper = mapper;
        this.host = host;
    }

    /** The resources of a new container: limits plus the devices cgroup rules (see {@link DevicesSpec}). */
    ObjectNode forCreate(LinuxContainerResources resources, ArrayNode deviceRules) {
        ObjectNode node = limits(resources);
        node.set("devices", deviceRules);
        return node;
    }

    /** Only the limits, for {@code runc update --resources -}, which must not touch the device rules. */
    ObjectNode limits(LinuxContainerResources r) {
        ObjectNode node = mapper.createObjectNode();
        ObjectNode cpu = mapper.createObjectNode();
        if (r.getCpuShares() != 0) {
            cpu.put("shares", r.getCpuShares());
        }
        if (r.getCpuQuota() != 0) {
            cpu.put("quota", r.getCpuQuota());
        }
        if (r.getCpuPeriod() != 0) {
            cpu.put("period", r.getCpuPeriod());
        }
        if (!r.getCpusetCpus().isEmpty()) {
            cpu.put("cpus", r.getCpusetCpus());
        }
        if (!r.getCpusetMems().isEmpty()) {
            cpu.put("mems", r.getCpusetMems());
        }
        if (!cpu.isEmpty()) {
            node.set("cpu", cpu);
        }
        ObjectNode memory = mapper.createObjectNode();
        if (r.getMemoryLimitInBytes() != 0) {
            memory.put("limit", r.getMemoryLimitInBytes());
            if (r.getMemorySwapLimitInBytes() == 0 && host.swapAccounting()) {
                memory.put("swap", r.getMemoryLimitInBytes());
            }
        }
        if (r.getMemorySwapLimitInBytes() != 0 && host.swapAccounting()) {
            memory.put("swap", r.getMemorySwapLimitInBytes());
        }
        if (!memory.isEmpty()) {
            node.set("memory", memory);
        }
        if (host.hugetlb() && r.getHugepageLimitsCount() > 0) {
            ArrayNode pages = node.putArray("hugepageLimits");
            for (HugepageLimit limit : r.getHugepageLimitsList()) {
                pages.addObject().put("pageSize", limit.getPageSize()).put("limit", limit.getLimit());
            }
        }
        if (!host.cgroupUnified() && r.getUnifiedCount() > 0) {
            // as at pod level: silently dropping them would run the container without the limits it asked for
            throw new IllegalArgumentException("config.linux.resources.unified: "
                    + r.getUnifiedMap().size() + " cgroup v2 key(s) need cgroup v2, but this node runs cgroup v1");
        }
        if (r.getUnifiedCount() > 0) {
            ObjectNode unified = node.putObject("unified");
            r.getUnifiedMap().entrySet().stream()
                    .sorted(java.util.Map.Entry.comparingByKey())
                    .forEach(e -> unified.put(e.getKey(), e.getValue()));
        }
        return node;
    }
}
