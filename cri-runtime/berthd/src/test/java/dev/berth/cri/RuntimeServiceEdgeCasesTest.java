package dev.berth.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cri.v1.ContainerStatusRequest;
import dev.berth.cri.v1.CreateContainerRequest;
import dev.berth.cri.v1.ListContainersRequest;
import dev.berth.cri.v1.Mount;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.PodSandboxStatusRequest;
import dev.berth.cri.v1.RemoveContainerRequest;
import dev.berth.cri.v1.RemovePodSandboxRequest;
import dev.berth.cri.v1.RunPodSandboxRequest;
import dev.berth.daemon.BerthConfig;
import dev.berth.testing.DaemonFixture;
import dev.berth.testing.HostCgroups;
import dev.berth.testing.PodClient;
import dev.berth.testing.PodTestBedExtension;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two CRI calls on the same pod or container at once, and request fields that name host paths: what kubelet
 * (retrying after its own deadline, or garbage-collecting while a sync runs) can send. Runs a daemon with a
 * "slow" RuntimeClass whose {@code create} takes a second, so a CreateContainer can be caught half-way.
 */
class RuntimeServiceEdgeCasesTest {

    private static final String CGROUP_MARKER = "berthrace";
    private static final String SLOW = "slow";

    @RegisterExtension
    static final PodTestBedExtension bed = new PodTestBedExtension(
            CGROUP_MARKER,
            base -> Map.of(
                    SLOW,
                    new BerthConfig.Runtime(
                            slowRunc(base).toString(),
                            base.resolve("state/runtimes/slow").toString())));

    private final DaemonFixture daemon = bed.daemon();
    private final PodClient pods = bed.pods();
    private final String busybox = bed.busybox();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    /** runc behind a script that marks, then sleeps through, the start of every {@code create}. */
    private static Path slowRunc(Path base) {
        Path script = base.resolve("slow-runc");
        try {
            Files.writeString(script, """
                    #!/bin/sh
                    case " $* " in
                      *" create "*) touch %s; sleep 1 ;;
                    esac
                    exec /usr/sbin/runc "$@"
                    """.formatted(createMarker(base)));
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return script;
    }

    private static Path createMarker(Path base) {
        return base.resolve("slow-create-began");
    }

    @AfterEach
    void stopTheThreads() throws Exception {
        threads.shutdownNow();
        threads.awaitTermination(30, TimeUnit.SECONDS);
    }

    @Test
    void removePodSandboxWaitsForACreateContainerInFlightAndRemovesItsContainer() throws Exception {
        PodSandboxConfig pod = pods.pod("racy").build();
        String podId = daemon.runtime()
                .runPodSandbox(RunPodSandboxRequest.newBuilder()
                        .setConfig(pod)
                        .setRuntimeHandler(SLOW)
                        .build())
                .getPodSandboxId();
        Path marker = createMarker(daemon.base());
        Files.deleteIfExists(marker);

        CompletableFuture<String> created = CompletableFuture.supplyAsync(
                () -> daemon.runtime()
                        .createContainer(CreateContainerRequest.newBuilder()
                                .setPodSandboxId(podId)
                                .setSandboxConfig(pod)
                                .setConfig(pods.container("late", busybox, "sleep", "1000"))
                                .build())
                        .getContainerId(),
                threads);
        awaitFile(marker, Duration.ofSeconds(20));
        daemon.runtime()
                .removePodSandbox(RemovePodSandboxRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .build());
        try {
            created.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // refusing because the pod is going away is fine; tearing the container down under the creator is not
            assertThat(Status.fromThrowable(e.getCause()).getCode())
                    .as("CreateContainer failed: %s", e.getCause())
                    .isIn(Status.Code.NOT_FOUND, Status.Code.FAILED_PRECONDITION);
        }

        assertThat(daemon.runtime()
                        .listContainers(ListContainersRequest.getDefaultInstance())
                        .getContainersList())
                .as("containers after their pod was removed")
                .isEmpty();
    }

    @Test
    void removeContainerTwiceAtOnceSucceedsBothTimes() throws Exception {
        PodSandboxConfig pod = pods.pod("twice").build();
        String podId = pods.run(pod);
        String id = pods.createAndStart(
                podId, pod, pods.container("sleeper", busybox, "sleep", "1000").build());
        CountDownLatch go = new CountDownLatch(1);

        List<CompletableFuture<Void>> removals = List.of(1, 2).stream()
                .map(i -> CompletableFuture.runAsync(
                        () -> {
                            try {
                                go.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            daemon.runtime()
                                    .removeContainer(RemoveContainerRequest.newBuilder()
                                            .setContainerId(id)
                                            .build());
                        },
                        threads))
                .toList();
        go.countDown();

        for (CompletableFuture<Void> removal : removals) {
            removal.get(30, TimeUnit.SECONDS);
        }
        assertThat(daemon.runtime()
                        .listContainers(ListContainersRequest.getDefaultInstance())
                        .getContainersList())
                .isEmpty();
    }

    @Test
    void logPathThatEscapesTheLogDirectoryIsRefused() {
        PodSandboxConfig pod = pods.pod("logescape").build();
        String podId = pods.run(pod);

        for (String logPath : List.of("../../escaped.log", "/tmp/berth-escaped.log", "a/../../escaped.log")) {
            assertThatThrownBy(() -> pods.create(
                            podId,
                            pod,
                            pods.container("escape", busybox, "true")
                                    .setLogPath(logPath)
                                    .build()))
                    .as("log_path %s", logPath)
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(e.getStatus().getDescription()).contains("log_path");
                    });
        }
        assertThat(Path.of(pod.getLogDirectory()).resolveSibling("escaped.log")).doesNotExist();
        assertThat(Path.of("/tmp/berth-escaped.log")).doesNotExist();
        String inside = pods.create(
                podId,
                pod,
                pods.container("nested", busybox, "true")
                        .setLogPath("nested/0.log")
                        .build());
        assertThat(pods.status(inside).getLogPath()).isEqualTo(pod.getLogDirectory() + "/nested/0.log");
    }

    @Test
    void missingMountHostPathIsCreatedAsADirectory() throws Exception {
        PodSandboxConfig pod = pods.pod("hostpath").build();
        String podId = pods.run(pod);
        Path hostDir = daemon.base().resolve("volumes/not-yet/there");

        String id = pods.createAndStart(
                podId,
                pod,
                pods.container("writer", busybox, "sh", "-c", "echo hi > /data/out")
                        .addMounts(Mount.newBuilder().setContainerPath("/data").setHostPath(hostDir.toString()))
                        .build());

        assertThat(pods.awaitExit(id, 30).getExitCode()).isZero();
        assertThat(hostDir.resolve("out")).hasContent("hi");
    }

    @Test
    void relativeMountHostPathIsRefused() {
        PodSandboxConfig pod = pods.pod("relhostpath").build();
        String podId = pods.run(pod);

        assertThatThrownBy(() -> pods.create(
                        podId,
                        pod,
                        pods.container("rel", busybox, "true")
                                .addMounts(Mount.newBuilder()
                                        .setContainerPath("/data")
                                        .setHostPath("relative/dir"))
                                .build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("relative/dir");
                });
        assertThat(Path.of("relative")).doesNotExist();
    }

    @Test
    void createContainerAcceptsAUniquePodIdPrefixLikeEveryOtherCall() {
        PodSandboxConfig pod = pods.pod("shortid").build();
        String podId = pods.run(pod);

        String id = pods.create(
                podId.substring(0, 12),
                pod,
                pods.container("short", busybox, "true").build());

        assertThat(daemon.runtime()
                        .listContainers(ListContainersRequest.newBuilder()
                                .setFilter(dev.berth.cri.v1.ContainerFilter.newBuilder()
                                        .setPodSandboxId(podId))
                                .build())
                        .getContainersList())
                .extracting(c -> c.getId())
                .containsExactly(id);
    }

    @Test
    void refusedCgroupParentLeavesNothingAndFreesThePodName() {
        PodSandboxConfig good = pods.pod("badparent").build();
        PodSandboxConfig bad = good.toBuilder()
                .setLinux(good.getLinux().toBuilder().setCgroupParent("relative/parent"))
                .build();

        assertThatThrownBy(() -> pods.run(bad))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));

        String podId = pods.run(good);
        assertThat(podId).isNotBlank();
    }

    /** kubelet with --cgroups-per-qos=false sends the cgroup root itself as every pod's parent. */
    @Test
    void podUnderTheRootCgroupGetsItsOwnCgroupAndCanBeRemoved() throws Exception {
        PodSandboxConfig pod = pods.pod("rootcgroup")
                .setLinux(pods.pod("x").getLinux().toBuilder().setCgroupParent("/"))
                .build();
        List<Path> berthParents = hierarchies().stream()
                .map(h -> h.resolve("berth"))
                .filter(p -> !Files.exists(p))
                .toList();
        try {
            String podId = pods.run(pod);
            String id = pods.createAndStart(
                    podId,
                    pod,
                    pods.container("sleeper", busybox, "sleep", "1000").build());
            assertOwnCgroupRemoved(podId, id);
        } finally {
            for (Path parent : berthParents) {
                Files.deleteIfExists(parent); // the daemon's shared parent, if this test made it (rmdir: only if empty)
            }
        }
    }

    private static List<Path> hierarchies() throws IOException {
        return HostCgroups.detect().roots();
    }

    private void assertOwnCgroupRemoved(String podId, String id) throws IOException {
        String podCgroup = cgroupPath(daemon.runtime()
                .podSandboxStatus(PodSandboxStatusRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .setVerbose(true)
                        .build())
                .getInfoMap()
                .get("info"));
        String containerCgroup = cgroupPath(daemon.runtime()
                .containerStatus(ContainerStatusRequest.newBuilder()
                        .setContainerId(id)
                        .setVerbose(true)
                        .build())
                .getInfoMap()
                .get("info"));

        Path podMemoryCgroup = HostCgroups.detect().dir("memory", podCgroup);
        assertThat(podMemoryCgroup).isDirectory();

        daemon.runtime()
                .removePodSandbox(RemovePodSandboxRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .build());

        assertThat(podCgroup).isNotEqualTo("/").endsWith(podId);
        assertThat(containerCgroup).startsWith(podCgroup + "/");
        assertThat(podMemoryCgroup).doesNotExist();
        assertThat(HostCgroups.detect().everywhere(podCgroup))
                .allSatisfy(dir -> assertThat(dir).doesNotExist());
    }

    private static String cgroupPath(String verboseInfo) throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(verboseInfo)
                .get("cgroupPath")
                .asText();
    }

    private static void awaitFile(Path file, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(file + " did not appear within " + timeout);
            }
            Thread.sleep(10);
        }
    }
}
