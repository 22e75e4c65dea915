package dev.berth.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CgroupResourcesTest {

    @Test
    void nullsBecomeEmpty() {
        CgroupResources resources = new CgroupResources(0, 0, 0, null, null, 0, 0, 0, null, null);
        assertThat(resources).isEqualTo(CgroupResources.none());
    }
}
