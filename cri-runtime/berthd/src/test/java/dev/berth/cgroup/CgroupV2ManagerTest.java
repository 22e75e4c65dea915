package dev.berth.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.testkit.Privileges;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against the machine's real cgroup2 mount. On this hybrid host it carries no resource controllers, so
 * this covers the tree mechanics (create, procs, kill, remove, cpu.stat); limit files are checked in
 * {@link CgroupV2ApplyTest} on an imitation tree. The manager is rooted at a per-test cgroup so nothing
 * outside it (the real root's subtree_control) is ever changed.
 */
class CgroupV2ManagerTest {

    private Path unified;
    private Path root;
    private CgroupV2Manager manager;
    private TestCgroups cgroups;

    @BeforeEach
    void setUp() throws Exception {
        Privileges.requireRoot();
        String mountinfo = Files.readString(Path.of("/proc/self/mountinfo"));
        unified = CgroupMount.parseMountinfo(mountinfo).stream()
                .filter(CgroupMount::cgroup2)
                .map(CgroupMount::mountPoint)
                .findFirst()
                .orElse(null);
        Privileges.onlyWhere(
                unified != null, "a cgroup v1 host without hybrid mode has no cgroup2 mount (CgroupV1ManagerTest)");
        cgroups = new TestCgroups(List.of(unified));
        root = CgroupPath.parse(cgroups.top()).under(unified);
        Files.createDirectory(root);
        manager = new CgroupV2Manager(root);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (cgroups != null) {
            cgroups.close();
        }
    }

    @Test
    void removeIfEmptyLeavesACgroupWithAChildOrAProcessAlone() throws Exception {
        manager.create("/parent/child");
        assertThat(manager.removeIfEmpty("/parent")).isFalse();
        manager.remove("/parent/child");
        Process sleeper = cgroups.gatedShell("exec /bin/busybox sleep 60");
        manager.addProcess("/parent", sleeper.pid());

        assertThat(manager.removeIfEmpty("/parent")).isFalse();
        assertThat(root.resolve("parent")).isDirectory();
        assertThat(sleeper.isAlive()).isTrue();

        sleeper.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!manager.pids("/parent").isEmpty()) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(10);
        }
        assertThat(manager.removeIfEmpty("/parent")).isTrue();
        assertThat(manager.exists("/parent")).isFalse();
    }

    @Test
    void createIsIdempotentAndRemoveDeletesTheSubtree() throws Exception {
        manager.create("/pod/ctr-a");
        manager.create("/pod/ctr-a");
        manager.create("/pod/ctr-b");

        assertThat(root.resolve("pod/ctr-a/cgroup.procs")).exists();
        assertThat(manager.exists("/pod/ctr-b")).isTrue();
        assertThat(manager.unified()).isTrue();

        manager.remove("/pod");
        manager.remove("/pod");

        assertThat(root.resolve("pod")).doesNotExist();
        assertThat(manager.exists("/pod")).isFalse();
    }

    @Test
    void processShowsInPidsAndCpuStatThenKillAllEmptiesTheSubtree() throws Exception {
        manager.create("/pod/ctr");
        Process inPod = cgroups.gatedShell("exec /bin/busybox sleep 60");
        Process busy = cgroups.gatedShell(
                "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; echo busy-done; " + "/bin/busybox sleep 60 & wait");
        manager.addProcess("/pod", inPod.pid());
        manager.addProcess("/pod/ctr", busy.pid());
        TestCgroups.release(busy);
        TestCgroups.awaitLine(busy, "busy-done");

        assertThat(manager.pids("/pod")).containsExactly((int) inPod.pid());
        assertThat(manager.pids("/pod/ctr")).contains((int) busy.pid());
        assertThat(manager.stats("/pod/ctr").cpuUsageNanos()).isPositive();

        manager.killAll("/pod");

        assertThat(manager.pids("/pod")).isEmpty();
        assertThat(manager.pids("/pod/ctr")).isEmpty();
        assertThat(inPod.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(busy.waitFor(5, TimeUnit.SECONDS)).isTrue();
        manager.remove("/pod");
        assertThat(root.resolve("pod")).doesNotExist();
    }

    @Test
    void removeOfABusyCgroupFailsNamingItAndMissingOnesReadAsErrors() throws Exception {
        manager.create("/pod");
        Process sleeper = cgroups.gatedShell("exec /bin/busybox sleep 60");
        manager.addProcess("/pod", sleeper.pid());

        assertThatThrownBy(() -> manager.remove("/pod"))
                .hasMessageContaining("/pod")
                .hasMessageContaining(Long.toString(sleeper.pid()));
        assertThatThrownBy(() -> manager.pids("/missing")).hasMessageContaining("/missing");
        assertThatThrownBy(() -> manager.stats("/missing")).hasMessageContaining("/missing");
    }

    @Test
    void pathsOutsideTheHierarchyAreRejected() {
        assertThatThrownBy(() -> manager.create("pod"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("absolute");
        assertThatThrownBy(() -> manager.create("/pod/../../etc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("..");
        assertThatThrownBy(() -> manager.remove("/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> manager.apply(
                        "/pod",
                        new CgroupResources(0, 0, 0, "", "", 0, 0, 0, Map.of(), Map.of("../cgroup.procs", "1"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> manager.apply(
                        "/pod", new CgroupResources(0, 0, 0, "", "", 0, 0, 0, Map.of("2MB/../x", 1L), Map.of())))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
