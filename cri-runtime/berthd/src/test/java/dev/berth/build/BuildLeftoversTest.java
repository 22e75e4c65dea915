package dev.berth.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cgroup.CgroupManager;
import dev.berth.sys.MountCalls;
import dev.berth.sys.OverlayDirs;
import dev.berth.testing.DaemonFixture;
import dev.berth.testkit.Privileges;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A berthd that starts where a killed one left a build removes the build's mounts, processes and cgroup. */
class BuildLeftoversTest {

    @Test
    void startUpRemovesWhatAKilledBuildLeft() throws Exception {
        Privileges.requireRoot();
        Path base = Files.createTempDirectory("berthd-test-");
        String id = "build-leftover" + ProcessHandle.current().pid();
        Path build = Files.createDirectories(base.resolve("root/builds").resolve(id));
        Path step = build.resolve("step-3");
        for (String dir : List.of("lower", "upper", "work", "merged")) {
            Files.createDirectories(step.resolve(dir));
        }
        MountCalls mounts = new MountCalls();
        mounts.mountOverlay(
                step.resolve("merged"),
                new OverlayDirs(
                        List.of(step.resolve("lower")),
                        step.resolve("upper"),
                        step.resolve("work"),
                        step.resolve("l")));
        CgroupManager cgroups = CgroupManager.detect();
        String cgroup = "/berth-build/" + id;
        cgroups.create(cgroup);
        Process sleeper = new ProcessBuilder("sleep", "300").start();
        cgroups.addProcess(cgroup, sleeper.pid());

        try (DaemonFixture daemon = DaemonFixture.startIn(base, Map.of())) {
            assertThat(sleeper.waitFor(10, TimeUnit.SECONDS))
                    .as("the build's process is killed")
                    .isTrue();
            assertThat(cgroups.exists(cgroup)).isFalse();
            assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(build.toString());
            assertThat(build).doesNotExist();
            assertThat(daemon.root().resolve("builds")).isEmptyDirectory();
        } finally {
            sleeper.destroyForcibly();
        }
    }
}
