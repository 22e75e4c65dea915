package dev.berth.container;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.berth.cri.v1.ContainerConfig;
import dev.berth.cri.v1.HugepageLimit;
import dev.berth.cri.v1.LinuxContainerResources;
import dev.berth.cri.v1.Mount;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The domain values a container record keeps of kubelet's ContainerConfig, read once, at create or update. */
public final class ContainerConfigs {

    private ContainerConfigs() {}

    public static ContainerResources resources(LinuxContainerResources r) {
        Map<String, Long> hugepages = new LinkedHashMap<>();
        for (HugepageLimit limit : r.getHugepageLimitsList()) {
            hugepages.put(limit.getPageSize(), limit.getLimit());
        }
        return new ContainerResources(
                r.getCpuPeriod(),
                r.getCpuQuota(),
                r.getCpuShares(),
                r.getMemoryLimitInBytes(),
                r.getOomScoreAdj(),
                r.getCpusetCpus(),
                r.getCpusetMems(),
                hugepages,
                r.getUnifiedMap(),
                r.getMemorySwapLimitInBytes());
    }

    static List<ContainerMount> mounts(List<Mount> mounts) {
        return mounts.stream()
                .map(m -> new ContainerMount(
                        m.getContainerPath(),
                        m.getHostPath(),
                        m.getReadonly(),
                        m.getSelinuxRelabel(),
                        switch (m.getPropagation()) {
                            case PROPAGATION_HOST_TO_CONTAINER -> ContainerMount.Propagation.HOST_TO_CONTAINER;
                            case PROPAGATION_BIDIRECTIONAL -> ContainerMount.Propagation.BIDIRECTIONAL;
                            default -> ContainerMount.Propagation.PRIVATE;
                        },
                        m.getRecursiveReadOnly()))
                .toList();
    }

    /** The config as kubelet sent it, for the verbose status only; records without one read as empty. */
    public static ContainerConfig parse(ContainerMetadata metadata) {
        try {
            return metadata.config() == null
                    ? ContainerConfig.getDefaultInstance()
                    : ContainerConfig.parseFrom(metadata.config());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("record of container " + metadata.id() + " holds an unreadable config", e);
        }
    }
}
