package dev.berth.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The v2 manager's file values, against a directory tree that imitates cgroupfs (control files pre-exist). */
class CgroupV2ApplyTest {

    private static final long MIB = 1024 * 1024;

    @TempDir
    Path root;

    private CgroupV2Manager manager;
    private Path pod;

    @BeforeEach
    void setUp() throws Exception {
        manager = new CgroupV2Manager(root);
        pod = Files.createDirectory(root.resolve("pod"));
        for (String file : new String[] {
            "cpu.weight",
            "cpu.max",
            "cpuset.cpus",
            "cpuset.mems",
            "memory.max",
            "memory.swap.max",
            "pids.max",
            "hugetlb.2MB.max",
            "memory.high"
        }) {
            Files.writeString(pod.resolve(file), "untouched");
        }
    }

    private String read(String file) throws Exception {
        return Files.readString(pod.resolve(file));
    }

    private static CgroupResources cpu(long shares, long quota, long period) {
        return new CgroupResources(shares, quota, period, "", "", 0, 0, 0, Map.of(), Map.of());
    }

    private static CgroupResources memory(long limit, long swap) {
        return new CgroupResources(0, 0, 0, "", "", limit, swap, 0, Map.of(), Map.of());
    }

    @Test
    void cpuSharesBecomeWeightsLikeRunc() throws Exception {
        manager.apply("/pod", cpu(1024, 0, 0));
        assertThat(read("cpu.weight")).isEqualTo("39");
        manager.apply("/pod", cpu(2, 0, 0));
        assertThat(read("cpu.weight")).isEqualTo("1");
        manager.apply("/pod", cpu(262144, 0, 0));
        assertThat(read("cpu.weight")).isEqualTo("10000");
        assertThat(read("cpu.max")).isEqualTo("untouched");
    }

    @Test
    void cpuQuotaAndPeriodBecomeCpuMax() throws Exception {
        manager.apply("/pod", cpu(0, -1, 100_000));
        assertThat(read("cpu.max")).isEqualTo("max 100000");
        manager.apply("/pod", cpu(0, 50_000, 100_000));
        assertThat(read("cpu.max")).isEqualTo("50000 100000");
        manager.apply("/pod", cpu(0, 20_000, 0));
        assertThat(read("cpu.max")).isEqualTo("20000");
        assertThat(read("cpu.weight")).isEqualTo("untouched");
    }

    @Test
    void swapMaxIsMemoryPlusSwapMinusMemory() throws Exception {
        manager.apply("/pod", memory(64 * MIB, 96 * MIB));
        assertThat(read("memory.max")).isEqualTo(Long.toString(64 * MIB));
        assertThat(read("memory.swap.max")).isEqualTo(Long.toString(32 * MIB));

        manager.apply("/pod", memory(64 * MIB, 64 * MIB));
        assertThat(read("memory.swap.max")).isEqualTo("0");

        manager.apply("/pod", memory(-1, -1));
        assertThat(read("memory.max")).isEqualTo("max");
        assertThat(read("memory.swap.max")).isEqualTo("max");
    }

    @Test
    void impossibleSwapLimitsAreRejectedBeforeAnyWrite() throws Exception {
        assertThatThrownBy(() -> manager.apply("/pod", memory(64 * MIB, 32 * MIB)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least the memory limit");
        assertThatThrownBy(() -> manager.apply("/pod", memory(0, 32 * MIB)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without a memory limit");
        assertThat(read("memory.max")).isEqualTo("untouched");
    }

    @Test
    void cpusetPidsHugepagesAndUnifiedKeysAreWrittenVerbatimWithUnifiedLast() throws Exception {
        manager.apply(
                "/pod",
                new CgroupResources(
                                0,
                                0,
                                0,
                                "0-1",
                                "0",
                                128 * MIB,
                                0,
                                0,
                                Map.of("2MB", 4 * 2 * MIB),
                                Map.of("memory.high", "100000000", "memory.max", "200000000"))
                        .withPidsLimit(42));

        assertThat(read("cpuset.cpus")).isEqualTo("0-1");
        assertThat(read("cpuset.mems")).isEqualTo("0");
        assertThat(read("pids.max")).isEqualTo("42");
        assertThat(read("hugetlb.2MB.max")).isEqualTo(Long.toString(8 * MIB));
        assertThat(read("memory.high")).isEqualTo("100000000");
        assertThat(read("memory.max")).isEqualTo("200000000");
        assertThat(read("memory.swap.max")).isEqualTo("untouched");
    }

    @Test
    void aMissingControlFileIsAnErrorNamingIt() throws Exception {
        Files.delete(pod.resolve("pids.max"));
        assertThatThrownBy(() -> manager.apply("/pod", CgroupResources.none().withPidsLimit(5)))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(pod.resolve("pids.max").toString())
                .hasMessageContaining("'5'");
        manager.apply("/pod", CgroupResources.none());
    }

    @Test
    void hugepageLimitsForPageSizesWithoutAControlFileAreSkipped() throws Exception {
        manager.apply("/pod", new CgroupResources(0, 0, 0, "", "", 0, 0, 0, Map.of("1GB", 0L, "2MB", 0L), Map.of()));

        assertThat(read("hugetlb.2MB.max")).isEqualTo("0");
        assertThat(pod.resolve("hugetlb.1GB.max")).doesNotExist();
    }

    @Test
    void createEnablesEveryAvailableControllerDownThePath() throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu memory pids\n");
        Files.writeString(root.resolve("cgroup.subtree_control"), "cpu\n");

        manager.create("/kubepods/pod1");

        assertThat(Files.readString(root.resolve("cgroup.subtree_control"))).isEqualTo("+cpuset +memory +pids");
        assertThat(root.resolve("kubepods/pod1")).isDirectory();
    }

    @Test
    void statsReadTheV2Files() throws Exception {
        Files.writeString(pod.resolve("cpu.stat"), "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n");
        Files.writeString(pod.resolve("memory.current"), "10000\n");
        Files.writeString(
                pod.resolve("memory.stat"), "anon 4000\nfile 6000\ninactive_file 2500\npgfault 77\npgmajfault 3\n");
        Files.writeString(pod.resolve("memory.events"), "low 0\nhigh 0\nmax 4\noom 2\noom_kill 2\noom_group_kill 0\n");
        Files.writeString(pod.resolve("pids.current"), "7\n");

        CgroupStats stats = manager.stats("/pod");

        assertThat(stats)
                .usingRecursiveComparison()
                .ignoringFields("timestampNanos")
                .isEqualTo(new CgroupStats(0, 1_500_000, 10000, 7500, 4000, 77, 3, 2, 7));
    }
}
