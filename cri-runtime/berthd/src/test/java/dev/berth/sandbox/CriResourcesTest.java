package dev.berth.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cgroup.CgroupResources;
import dev.berth.cri.v1.HugepageLimit;
import dev.berth.cri.v1.LinuxContainerResources;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CriResourcesTest {

    @Test
    void absentOrDefaultCriResourcesSetNothing() {
        assertThat(CriResources.toCgroup(null)).isEqualTo(CgroupResources.none());
        assertThat(CriResources.toCgroup(LinuxContainerResources.getDefaultInstance()))
                .isEqualTo(CgroupResources.none());
    }

    @Test
    void everyCriFieldIsCarriedOver() {
        LinuxContainerResources cri = LinuxContainerResources.newBuilder()
                .setCpuShares(256)
                .setCpuQuota(20_000)
                .setCpuPeriod(100_000)
                .setCpusetCpus("0")
                .setCpusetMems("0")
                .setMemoryLimitInBytes(1 << 20)
                .setMemorySwapLimitInBytes(2 << 20)
                .addHugepageLimits(HugepageLimit.newBuilder().setPageSize("2MB").setLimit(4 << 20))
                .putUnified("memory.high", "1000")
                .build();

        assertThat(CriResources.toCgroup(cri))
                .isEqualTo(new CgroupResources(
                        256,
                        20_000,
                        100_000,
                        "0",
                        "0",
                        1 << 20,
                        2 << 20,
                        0,
                        Map.of("2MB", 4L << 20),
                        Map.of("memory.high", "1000")));
    }
}
