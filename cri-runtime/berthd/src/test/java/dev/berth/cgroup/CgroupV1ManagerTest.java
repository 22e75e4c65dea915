package dev.berth.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.testing.HostCgroups;
import dev.berth.testkit.Privileges;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against the machine's real cgroup v1 hierarchies, under a unique top-level cgroup per test. */
class CgroupV1ManagerTest {

    private static final long MIB = 1024 * 1024;

    private Map<String, Path> controllers;
    private CgroupV1Manager manager;
    private TestCgroups cgroups;

    @BeforeEach
    void setUp() throws Exception {
        Privileges.requireRoot();
        Privileges.onlyWhere(
                !HostCgroups.detect().unified(), "a cgroup v2 host has no v1 hierarchies (CgroupV2ManagerTest)");
        controllers = new LinkedHashMap<>();
        String mountinfo = Files.readString(Path.of("/proc/self/mountinfo"));
        for (CgroupMount mount : CgroupMount.parseMountinfo(mountinfo)) {
            if (!mount.cgroup2()) {
                mount.controllers().forEach(c -> controllers.putIfAbsent(c, mount.mountPoint()));
            }
        }
        Privileges.require(
                controllers.keySet().containsAll(Set.of("cpu", "cpuacct", "cpuset", "memory", "pids", "freezer")),
                "these tests need cgroup v1 with cpu, cpuacct, cpuset, memory, pids and freezer mounted");
        manager = new CgroupV1Manager(controllers);
        cgroups = new TestCgroups(new LinkedHashSet<>(controllers.values()));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (cgroups != null) {
            cgroups.close();
        }
    }

    private Path dir(String controller, String cgroupPath) {
        return CgroupPath.parse(cgroupPath).under(controllers.get(controller));
    }

    private static String read(Path file) throws Exception {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
    }

    @Test
    void createMakesTheCgroupInEveryHierarchyAndIsIdempotent() throws Exception {
        String ctr = cgroups.path("pod/ctr");
        manager.create(ctr);
        manager.create(ctr);

        for (Path mount : new LinkedHashSet<>(controllers.values())) {
            assertThat(CgroupPath.parse(ctr).under(mount)).isDirectory();
        }
        assertThat(manager.exists(ctr)).isTrue();
        assertThat(read(dir("cpuset", ctr).resolve("cpuset.cpus")))
                .isEqualTo(read(controllers.get("cpuset").resolve("cpuset.cpus")));
        assertThat(read(dir("cpuset", ctr).resolve("cpuset.mems")))
                .isEqualTo(read(controllers.get("cpuset").resolve("cpuset.mems")));
    }

    @Test
    void applyWritesEveryLimitAndRaisesMemoryAboveTheOldSwapLimit() throws Exception {
        String pod = cgroups.path("pod");
        manager.create(pod);
        CgroupResources resources = new CgroupResources(
                        512, 50_000, 100_000, "0", "0", 64 * MIB, 64 * MIB, 0, Map.of(), Map.of())
                .withPidsLimit(100);

        manager.apply(pod, resources);
        // raising both limits only works with memory+swap written first
        manager.apply(pod, new CgroupResources(0, 0, 0, "", "", 128 * MIB, 128 * MIB, 0, Map.of(), Map.of()));

        assertThat(read(dir("cpu", pod).resolve("cpu.shares"))).isEqualTo("512");
        assertThat(read(dir("cpu", pod).resolve("cpu.cfs_quota_us"))).isEqualTo("50000");
        assertThat(read(dir("cpu", pod).resolve("cpu.cfs_period_us"))).isEqualTo("100000");
        assertThat(read(dir("cpuset", pod).resolve("cpuset.cpus"))).isEqualTo("0");
        assertThat(read(dir("memory", pod).resolve("memory.limit_in_bytes"))).isEqualTo(Long.toString(128 * MIB));
        assertThat(read(dir("memory", pod).resolve("memory.memsw.limit_in_bytes")))
                .isEqualTo(Long.toString(128 * MIB));
        assertThat(read(dir("pids", pod).resolve("pids.max"))).isEqualTo("100");

        manager.apply(pod, new CgroupResources(0, 0, 0, "", "", 32 * MIB, 32 * MIB, 0, Map.of(), Map.of()));
        assertThat(read(dir("memory", pod).resolve("memory.limit_in_bytes"))).isEqualTo(Long.toString(32 * MIB));
    }

    @Test
    void applyRejectsUnifiedKeysOnV1AndNamesTheFileOfABadValue() throws Exception {
        String pod = cgroups.path("pod");
        manager.create(pod);

        assertThatThrownBy(() -> manager.apply(
                        pod, new CgroupResources(0, 0, 0, "", "", 0, 0, 0, Map.of(), Map.of("memory.high", "1000"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("v2");
        assertThatThrownBy(
                        () -> manager.apply(pod, new CgroupResources(0, 0, 0, "99", "", 0, 0, 0, Map.of(), Map.of())))
                .hasMessageContaining("cpuset.cpus")
                .hasMessageContaining("'99'");
    }

    @Test
    void processInTheCgroupShowsInPidsAndStats() throws Exception {
        String ctr = cgroups.path("pod/ctr");
        manager.create(ctr);
        Process shell = cgroups.gatedShell("x=$(head -c 2000000 /dev/zero | tr '\\0' a); i=0; "
                + "while [ $i -lt 200000 ]; do i=$((i+1)); done; echo busy-done; exec /bin/busybox sleep 60");
        manager.addProcess(ctr, shell.pid());
        TestCgroups.release(shell);
        TestCgroups.awaitLine(shell, "busy-done");

        assertThat(manager.pids(ctr)).containsExactly((int) shell.pid());
        CgroupStats stats = manager.stats(ctr);
        assertThat(stats.cpuUsageNanos()).isPositive();
        assertThat(stats.memoryUsageBytes()).isPositive();
        assertThat(stats.memoryWorkingSetBytes()).isPositive().isLessThanOrEqualTo(stats.memoryUsageBytes());
        assertThat(stats.memoryRssBytes()).isPositive();
        assertThat(stats.pageFaults()).isPositive();
        assertThat(stats.pidsCurrent()).isEqualTo(1);
        assertThat(stats.oomKillCount()).isZero();
        assertThat(stats.timestampNanos() / 1_000_000)
                .isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(5_000L));
        // the pod cgroup counts its containers' usage
        assertThat(manager.stats(cgroups.path("pod")).cpuUsageNanos()).isGreaterThanOrEqualTo(stats.cpuUsageNanos());
    }

    @Test
    void killAllKillsEveryProcessInTheSubtreeAndLeavesItThawed() throws Exception {
        String pod = cgroups.path("pod");
        String ctr = cgroups.path("pod/ctr");
        manager.create(ctr);
        Process inPod = cgroups.gatedShell("exec /bin/busybox sleep 60");
        Process inCtr = cgroups.gatedShell("/bin/busybox sleep 60 & /bin/busybox sleep 60 & wait");
        manager.addProcess(pod, inPod.pid());
        manager.addProcess(ctr, inCtr.pid());
        TestCgroups.release(inCtr);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (manager.pids(ctr).size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(manager.pids(ctr)).hasSize(3);

        manager.killAll(pod);

        assertThat(manager.pids(pod)).isEmpty();
        assertThat(manager.pids(ctr)).isEmpty();
        assertThat(inPod.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(inCtr.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(read(dir("freezer", pod).resolve("freezer.state"))).isEqualTo("THAWED");
        manager.killAll(pod);
    }

    @Test
    void memoryLimitEndsInAnOomKill() throws Exception {
        String ctr = cgroups.path("pod/ctr");
        manager.create(ctr);
        manager.apply(ctr, new CgroupResources(0, 0, 0, "", "", 8 * MIB, 8 * MIB, 0, Map.of(), Map.of()));
        Process hog = cgroups.gatedShell("x=$(head -c 50000000 /dev/zero | tr '\\0' a)");
        manager.addProcess(ctr, hog.pid());
        TestCgroups.release(hog);

        assertThat(hog.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(manager.stats(ctr).oomKillCount()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void removeDeletesEveryHierarchyChildrenFirstAndMissingIsFine() throws Exception {
        manager.create(cgroups.path("pod/ctr-a"));
        manager.create(cgroups.path("pod/ctr-b/nested"));

        manager.remove(cgroups.top());
        manager.remove(cgroups.top());

        for (Path mount : new LinkedHashSet<>(controllers.values())) {
            assertThat(CgroupPath.parse(cgroups.top()).under(mount)).doesNotExist();
        }
        assertThat(manager.exists(cgroups.top())).isFalse();
    }

    @Test
    void removeOfACgroupWithAProcessFailsNamingThePath() throws Exception {
        String ctr = cgroups.path("pod/ctr");
        manager.create(ctr);
        Process sleeper = cgroups.gatedShell("exec /bin/busybox sleep 60");
        manager.addProcess(ctr, sleeper.pid());

        long start = System.nanoTime();
        assertThatThrownBy(() -> manager.remove(ctr))
                .hasMessageContaining(ctr)
                .hasMessageContaining(Long.toString(sleeper.pid()));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3_000);
    }

    @Test
    void removeIfEmptyLeavesACgroupWithAChildOrAProcessInAnyHierarchyWhole() throws Exception {
        String parent = cgroups.path("parent");
        manager.create(parent + "/child");
        assertThat(manager.removeIfEmpty(parent)).isFalse();
        manager.remove(parent + "/child");
        Process sleeper = cgroups.gatedShell("exec /bin/busybox sleep 60");
        // in one hierarchy only: the check covers all of them before any rmdir
        Files.writeString(dir("pids", parent).resolve("cgroup.procs"), Long.toString(sleeper.pid()));

        assertThat(manager.removeIfEmpty(parent)).isFalse();
        for (Path mount : new LinkedHashSet<>(controllers.values())) {
            assertThat(CgroupPath.parse(parent).under(mount)).isDirectory();
        }
        assertThat(sleeper.isAlive()).isTrue();

        sleeper.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        awaitNoProcs(dir("pids", parent));
        assertThat(manager.removeIfEmpty(parent)).isTrue();
        assertThat(manager.exists(parent)).isFalse();
        assertThat(manager.removeIfEmpty(parent)).as("missing is fine").isTrue();
    }

    private static void awaitNoProcs(Path dir) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!read(dir.resolve("cgroup.procs")).isEmpty()) {
            assertThat(System.nanoTime()).as("%s still has processes", dir).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void killAllAndRemoveRefuseTheRootCgroup() {
        assertThatThrownBy(() -> manager.remove("/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> manager.killAll("/")).isInstanceOf(IllegalArgumentException.class);
    }
}
