package dev.berth.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CgroupMountTest {

    @Test
    void parsesCombinedV1HierarchiesNamedOnesAndCgroup2() {
        String mountinfo = """
                22 1 0:21 / /proc rw,nosuid - proc proc rw
                31 23 0:28 / /sys/fs/cgroup ro,nosuid shared:9 - tmpfs tmpfs ro,mode=755
                32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:10 - cgroup cgroup rw,cpu,cpuacct
                33 31 0:30 / /sys/fs/cgroup/systemd rw shared:11 - cgroup cgroup rw,xattr,release_agent=/x,name=systemd
                34 31 0:31 / /sys/fs/cgroup/my\\040dir rw - cgroup cgroup rw,memory
                35 31 0:32 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw,nsdelegate
                """;

        List<CgroupMount> mounts = CgroupMount.parseMountinfo(mountinfo);

        assertThat(mounts)
                .containsExactly(
                        new CgroupMount(Path.of("/sys/fs/cgroup/cpu,cpuacct"), false, Set.of("cpu", "cpuacct")),
                        new CgroupMount(Path.of("/sys/fs/cgroup/systemd"), false, Set.of("name=systemd")),
                        new CgroupMount(Path.of("/sys/fs/cgroup/my dir"), false, Set.of("memory")),
                        new CgroupMount(Path.of("/sys/fs/cgroup/unified"), true, Set.of()));
    }

    @Test
    void detectPicksTheHierarchyOfThisMachine() throws Exception {
        CgroupManager manager = CgroupManager.detect();
        // what the JDK reads from the mount table, not berthd's mountinfo parser
        boolean v2 = java.nio.file.Files.getFileStore(Path.of("/sys/fs/cgroup"))
                .type()
                .equals("cgroup2");
        assertThat(manager.unified()).isEqualTo(v2);
        assertThat(manager).isInstanceOf(v2 ? CgroupV2Manager.class : CgroupV1Manager.class);
    }
}
