package dev.berth.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cgroup.CgroupResources;
import dev.berth.cgroup.FakeCgroups;
import dev.berth.container.ContainerPaths;
import dev.berth.container.ContainerRecord;
import dev.berth.container.ContainerRootfs;
import dev.berth.container.ContainerState;
import dev.berth.sandbox.SandboxRecord;
import dev.berth.sandbox.SandboxState;
import dev.berth.snapshot.SnapshotStore;
import dev.berth.store.Json;
import dev.berth.sys.MountCalls;
import dev.berth.testing.TestRecords;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsServiceTest {

    @TempDir
    Path dir;

    private final FakeCgroups cgroups = new FakeCgroups();
    private StatsService stats;
    private final SandboxRecord pod = TestRecords.pod("pod1", "web", SandboxState.READY, "/berth/pod1");
    private final ContainerRecord container =
            TestRecords.container("ctr1", "pod1", "app", 0, "/berth/pod1/ctr1", 15, ContainerState.RUNNING, 0);

    @BeforeEach
    void setUp() throws IOException {
        ContainerPaths paths = new ContainerPaths(dir.resolve("state"), dir.resolve("root"));
        stats = new StatsService(
                cgroups,
                new ContainerRootfs(paths, new SnapshotStore(dir.resolve("snapshots"), new Json()), new MountCalls()),
                new NetworkCounters(dir.resolve("proc")));
        cgroups.existing.add(pod.cgroupPath());
        cgroups.existing.add(container.cgroupPath());
    }

    @Test
    void secondReadingOfARunningContainerHasACpuRate() throws IOException {
        ContainerUsage first = stats.container(container);
        ContainerUsage second = stats.container(container);

        assertThat(first.cpuNanoCores()).isEqualTo(-1);
        // 0.5 ms of CPU per 1 ms of the fake's clock: half a core
        assertThat(second.cpuNanoCores()).isEqualTo(500_000_000L);
        assertThat(second.cgroup().memoryWorkingSetBytes()).isEqualTo(1 << 19);
    }

    @Test
    void containerNotRunningIsNotReadAndKeepsNoSample() throws IOException {
        ContainerRecord exited =
                TestRecords.container("ctr2", "pod1", "done", 0, "/berth/pod1/ctr2", 15, ContainerState.EXITED, 0);
        cgroups.existing.add(exited.cgroupPath());

        ContainerUsage usage = stats.container(exited);

        assertThat(usage.cgroup()).isNull();
        assertThat(usage.cpuNanoCores()).isEqualTo(-1);
        assertThat(stats.trackedCpuSamples()).isZero();
    }

    @Test
    void removingAContainerForgetsItsCpuSample() throws IOException {
        stats.container(container);
        assertThat(stats.trackedCpuSamples()).isEqualTo(1);

        stats.deleted(container.id(), pod.id());

        assertThat(stats.trackedCpuSamples()).isZero();
        assertThat(stats.container(container).cpuNanoCores())
                .as("a new container by that ID starts afresh")
                .isEqualTo(-1);
    }

    @Test
    void removingAPodForgetsItsSampleAndItsContainers() throws IOException {
        PodUsage usage = stats.pod(pod, List.of(container));
        assertThat(usage.containers()).hasSize(1);
        assertThat(stats.trackedCpuSamples()).isEqualTo(2);

        // RemovePodSandbox removes the containers first, then the pod
        stats.deleted(container.id(), pod.id());
        stats.podDeleted(pod);

        assertThat(stats.trackedCpuSamples()).isZero();
    }

    @Test
    void manyRemovedContainersLeaveNothingBehind() throws IOException {
        for (int i = 0; i < 100; i++) {
            ContainerRecord each = TestRecords.container(
                    "c" + i, "pod1", "app", i, "/berth/pod1/c" + i, 15, ContainerState.RUNNING, 0);
            cgroups.existing.add(each.cgroupPath());
            stats.container(each);
            stats.deleted(each.id(), pod.id());
        }

        assertThat(stats.trackedCpuSamples()).isZero();
    }

    @Test
    void podMetricsCoverTheRunningContainersOnly() throws IOException {
        ContainerRecord exited =
                TestRecords.container("ctr2", "pod1", "done", 0, "/berth/pod1/ctr2", 15, ContainerState.EXITED, 0);
        cgroups.existing.add(exited.cgroupPath());

        PodMetrics metrics = stats.podMetrics(pod, List.of(container, exited), c -> CgroupResources.none());

        assertThat(metrics.sandboxId()).isEqualTo(pod.id());
        assertThat(metrics.containers()).containsOnlyKeys(container.id());
        assertThat(metrics.containers().get(container.id()))
                .extracting(MetricSample::name)
                .contains("container_memory_working_set_bytes");
        assertThat(stats.trackedCpuSamples()).as("metrics keep no CPU samples").isZero();
    }
}
