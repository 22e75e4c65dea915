package dev.berth.cri;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cri.v1.ContainerStatusRequest;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.PodSandboxStatsRequest;
import dev.berth.cri.v1.PodSandboxStatusRequest;
import dev.berth.cri.v1.RemovePodSandboxRequest;
import dev.berth.cri.v1.StopPodSandboxRequest;
import dev.berth.testing.DaemonFixture;
import dev.berth.testing.HostCgroups;
import dev.berth.testing.PodClient;
import dev.berth.testing.PodTestBedExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * kubelet's cgroupfs driver makes the pod-level cgroup it sends as cgroup_parent, may run its own processes there and
 * removes it itself: berthd makes the pod's cgroup below it and kills and removes only what it made.
 */
class PodCgroupOwnershipIntegrationTest {

    private static final String CGROUP_MARKER = "berthown";

    @RegisterExtension
    static final PodTestBedExtension bed = new PodTestBedExtension(CGROUP_MARKER);

    private final DaemonFixture daemon = bed.daemon();
    private final PodClient pods = bed.pods();
    private final String busybox = bed.busybox();
    private final List<Process> foreign = new ArrayList<>();
    /** Top-level cgroups this test made itself, removed (leaves first) after it. */
    private final List<String> madeByTest = new ArrayList<>();

    @AfterEach
    void removeWhatTheTestMade() throws Exception {
        for (Process process : foreign) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        for (String cgroup : madeByTest) {
            for (Path top : HostCgroups.detect().everywhere(cgroup)) {
                rmdirTree(top);
            }
        }
    }

    @Test
    void removingAPodLeavesKubeletsParentAndTheProcessInItAlone() throws Exception {
        HostCgroups host = HostCgroups.detect();
        String parent = "/" + CGROUP_MARKER + "-kubelet-" + random();
        madeByTest.add(parent);
        // as kubelet's cgroupfs driver does before RunPodSandbox; on v2 a cgroup with children holds no process
        // itself, so kubelet's own process sits in a child there
        String foreignCgroup = host.unified() ? parent + "/foreign" : parent;
        makeCgroup(host, parent);
        makeCgroup(host, foreignCgroup);
        Process sleeper = foreignProcessIn(host, foreignCgroup);
        PodSandboxConfig.Builder builder = pods.pod("owned");
        builder.getLinuxBuilder().setCgroupParent(parent);
        PodSandboxConfig pod = builder.build();

        String podId = pods.run(pod);
        String id = pods.createAndStart(
                podId, pod, pods.container("sleeper", busybox, "sleep", "1000").build());
        String podCgroup = podCgroup(podId);
        String containerCgroup = containerCgroup(id);
        // pids.current counts threads: right after StartContainer, runc init's Go threads may not have gone in
        // its exec of sleep yet. A count that took kubelet's sleeper in would stay 2, so waiting proves as much.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long processes = podProcesses(podId);
        while (processes != 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            processes = podProcesses(podId);
        }
        daemon.runtime()
                .stopPodSandbox(StopPodSandboxRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .build());
        daemon.runtime()
                .removePodSandbox(RemovePodSandboxRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .build());

        assertThat(podCgroup).isEqualTo(parent + "/" + podId);
        assertThat(containerCgroup).isEqualTo(podCgroup + "/" + id);
        assertThat(processes)
                .as("the pod's stats count its container's sleep, not kubelet's")
                .isEqualTo(1);
        assertThat(sleeper.isAlive()).as("the process in kubelet's cgroup").isTrue();
        assertThat(procs(host.dir("pids", foreignCgroup))).contains(sleeper.pid());
        assertThat(host.everywhere(parent)).allSatisfy(dir -> assertThat(dir).isDirectory());
        assertThat(host.everywhere(podCgroup)).allSatisfy(dir -> assertThat(dir).doesNotExist());
    }

    /** containerd (runc) makes a missing parent too; berthd then removes it with the pod, deepest first. */
    @Test
    void aMissingParentIsMadeAndRemovedWithThePod() throws Exception {
        HostCgroups host = HostCgroups.detect();
        String top = "/" + CGROUP_MARKER + "-missing-" + random();
        String parent = top + "/burstable/pod-" + random();
        madeByTest.add(top);
        PodSandboxConfig.Builder builder = pods.pod("madeparent");
        builder.getLinuxBuilder().setCgroupParent(parent);
        PodSandboxConfig pod = builder.build();

        String podId = pods.run(pod);
        pods.createAndStart(
                podId, pod, pods.container("sleeper", busybox, "sleep", "1000").build());
        assertThat(host.everywhere(parent + "/" + podId))
                .allSatisfy(dir -> assertThat(dir).isDirectory());
        daemon.runtime()
                .removePodSandbox(RemovePodSandboxRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .build());

        assertThat(host.everywhere(top)).allSatisfy(dir -> assertThat(dir).doesNotExist());
    }

    private String podCgroup(String podId) throws IOException {
        return cgroupPath(daemon.runtime()
                .podSandboxStatus(PodSandboxStatusRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .setVerbose(true)
                        .build())
                .getInfoMap()
                .get("info"));
    }

    private String containerCgroup(String id) throws IOException {
        return cgroupPath(daemon.runtime()
                .containerStatus(ContainerStatusRequest.newBuilder()
                        .setContainerId(id)
                        .setVerbose(true)
                        .build())
                .getInfoMap()
                .get("info"));
    }

    private static String cgroupPath(String verboseInfo) throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(verboseInfo)
                .get("cgroupPath")
                .asText();
    }

    /** mkdir in every hierarchy; a v1 cpuset cgroup takes no process until it has cpus and mems. */
    private static void makeCgroup(HostCgroups host, String cgroup) throws IOException {
        for (Path dir : host.everywhere(cgroup)) {
            Files.createDirectories(dir);
            for (String file : List.of("cpuset.cpus", "cpuset.mems")) {
                Path own = dir.resolve(file);
                if (!host.unified()
                        && Files.exists(own)
                        && Files.readString(own).isBlank()) {
                    Files.writeString(
                            own, Files.readString(dir.getParent().resolve(file)).strip());
                }
            }
        }
    }

    private Process foreignProcessIn(HostCgroups host, String cgroup) throws IOException {
        Process sleeper = new ProcessBuilder("/bin/busybox", "sleep", "1000").start();
        foreign.add(sleeper);
        for (Path dir : host.everywhere(cgroup)) {
            Files.writeString(dir.resolve("cgroup.procs"), Long.toString(sleeper.pid()));
        }
        return sleeper;
    }

    private static List<Long> procs(Path dir) throws IOException {
        return Files.readAllLines(dir.resolve("cgroup.procs")).stream()
                .filter(line -> !line.isBlank())
                .map(Long::parseLong)
                .toList();
    }

    /** rmdir leaves first (cgroupfs dirs go with rmdir, their control files with them). */
    private static void rmdirTree(Path top) throws Exception {
        if (!Files.isDirectory(top)) {
            return;
        }
        List<Path> dirs;
        try (var walk = Files.walk(top)) {
            dirs = walk.filter(Files::isDirectory)
                    .sorted((a, b) -> b.getNameCount() - a.getNameCount())
                    .toList();
        }
        for (Path dir : dirs) {
            for (int attempt = 0; Files.exists(dir); attempt++) {
                try {
                    Files.delete(dir);
                } catch (IOException e) {
                    if (attempt > 100) {
                        throw e;
                    }
                    Thread.sleep(10);
                }
            }
        }
    }

    private static String random() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    private long podProcesses(String podId) {
        return daemon.runtime()
                .podSandboxStats(PodSandboxStatsRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .build())
                .getStats()
                .getLinux()
                .getProcess()
                .getProcessCount()
                .getValue();
    }
}
