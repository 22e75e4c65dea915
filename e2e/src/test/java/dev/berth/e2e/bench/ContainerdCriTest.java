package dev.berth.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.process.CommandRunner;
import dev.berth.testing.HostCgroups;
import dev.berth.testkit.Privileges;
import dev.berth.testkit.layer.BusyboxImage;
import dev.berth.testkit.registry.ImagePusher;
import dev.berth.testkit.registry.RegistryFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's containerd peer really runs pods through CRI, and leaves nothing behind when closed. */
class ContainerdCriTest {

    @Test
    void closingContainerdRemovesThePodsItStillRunsAndItsShims() throws Exception {
        Privileges.requireRoot();
        Privileges.require(
                ContainerdCri.available(), "containerd or runc is not installed (apt-get install containerd runc)");
        Privileges.require(
                RegistryFixture.available(), "docker-registry is not installed (apt-get install docker-registry)");
        Path work = Files.createTempDirectory(Path.of("/var/tmp"), "berth-containerd-test-");
        CommandRunner commands = new CommandRunner(work.resolve("scratch"));
        HostCleanup host = new HostCleanup(commands);
        String bridge = "berthbenchT0";
        try (RegistryFixture registry = RegistryFixture.start()) {
            BusyboxImage busybox = BusyboxImage.fromHost();
            ImagePusher pusher = new ImagePusher(registry);
            String image =
                    pusher.pushImage("test/busybox", "1", busybox.image("sh")).reference();
            String pause = pusher.pushImage("pause", "test", busybox.image("sleep", "2147483647"))
                    .reference();
            PodSpecs specs = new PodSpecs("ctrtest", work.resolve("pods"), image, "berth-bench-test");
            List<Long> sleeps;
            try (ContainerdCri containerd = ContainerdCri.start(
                    work, registry.hostPort(), pause, BenchNetwork.create(work, bridge, "10.199.0.0/24"), commands)) {
                containerd.client().pullImage(image);
                CriPodStarter pods = new CriPodStarter("containerd", containerd.client(), specs);
                pods.startPod(0);
                pods.startPod(1);

                assertThat(containerd.client().listContainers())
                        .hasSize(2)
                        .allMatch(c -> c.getState() == dev.berth.cri.v1.ContainerState.CONTAINER_RUNNING);
                sleeps = sleepPids(HostCgroups.detect().dir("pids", "berth-bench-test"));
                assertThat(sleeps).hasSize(2);
            }

            assertThat(sleeps)
                    .noneMatch(pid ->
                            ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            assertThat(ProcessHandle.allProcesses().filter(p -> cmdline(p.pid()).contains(work.toString())))
                    .isEmpty();
            assertThat(Files.readString(Path.of("/proc/self/mountinfo")))
                    .doesNotContain(work.toString() + "/containerd-cri-");
        } finally {
            host.removeCgroupTree("berth-bench-test");
            host.deleteLink(bridge);
            host.unmountBelow(work);
            dev.berth.store.Directories.deleteRecursively(work);
        }
    }

    /** The pods' sleep processes, found by their cgroups so that no other test's containers count. */
    private static List<Long> sleepPids(Path cgroup) throws java.io.IOException {
        try (var walk = Files.walk(cgroup)) {
            return walk.filter(p -> p.getFileName().toString().equals("cgroup.procs"))
                    .flatMap(p -> {
                        try {
                            return Files.readAllLines(p).stream();
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .map(Long::parseLong)
                    .filter(pid -> cmdline(pid).equals("sleep 3600"))
                    .toList();
        }
    }

    /** From /proc: ProcessHandle.Info has no command line for a process whose binary is in another mount namespace. */
    private static String cmdline(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"))
                    .replace('\0', ' ')
                    .strip();
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
