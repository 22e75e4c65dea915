package dev.berth.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cri.v1.ContainerState;
import dev.berth.cri.v1.ContainerStatus;
import dev.berth.cri.v1.ListContainersRequest;
import dev.berth.cri.v1.ListPodSandboxRequest;
import dev.berth.cri.v1.PodSandbox;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.PodSandboxState;
import dev.berth.cri.v1.PodSandboxStatusRequest;
import dev.berth.cri.v1.RemoveContainerRequest;
import dev.berth.cri.v1.RemovePodSandboxRequest;
import dev.berth.cri.v1.RunPodSandboxRequest;
import dev.berth.testing.RestartBed;
import dev.berth.testkit.Privileges;
import dev.berth.testkit.layer.BusyboxImage;
import dev.berth.testkit.registry.ImagePusher;
import dev.berth.testkit.registry.Processes;
import dev.berth.testkit.registry.RegistryFixture;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A failed RunPodSandbox or CreateContainer whose rollback fails too (a CNI DEL that errors, a mount that will not
 * go away) leaves its record visible, saying why, and the removal is retried by RemovePodSandbox/RemoveContainer
 * and by the next start of berthd until it succeeds; then nothing of it is left.
 */
class RollbackFailureTest {

    private static final String CGROUP_MARKER = "berthrollback";
    private static RegistryFixture registry;
    private static String busybox;

    private RestartBed bed;

    @BeforeAll
    static void startRegistry() throws Exception {
        Privileges.requireRoot();
        Privileges.require(
                RegistryFixture.available(), "docker-registry is not installed (apt-get install docker-registry)");
        registry = RegistryFixture.start();
        busybox = new ImagePusher(registry)
                .pushImage("rollback/busybox", "1", BusyboxImage.fromHost().image())
                .reference();
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        bed = new RestartBed("berthd-rollback-", CGROUP_MARKER, busybox);
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (bed.berthd() != null && bed.berthd().process().isAlive()) {
                bed.removeAllAndCheckForLeaks();
            }
        } finally {
            bed.close();
        }
    }

    @Test
    void podWhoseRollbackFailsStaysNotReadyWithWhyUntilItsRemovalSucceeds() throws Exception {
        Path failDel = bed.base().resolve("fail-del");
        Files.createFile(failDel);
        // ADD always fails (so RunPodSandbox rolls back); DEL fails while the marker exists
        RestartBed.script(bed.pluginDir().resolve("flaky"), """
                #!/bin/sh
                if [ "$CNI_COMMAND" = ADD ]; then echo '{"code": 11, "msg": "flaky refuses ADD"}'; exit 1; fi
                if [ "$CNI_COMMAND" = DEL ] && [ -e %s ]; then echo '{"code": 11, "msg": "flaky refuses DEL"}'; exit 1; fi
                exit 0
                """.formatted(failDel));
        // the bridge ADD really runs (veth, IP, masquerade rules), so only a DEL that gets past flaky frees them
        Files.writeString(bed.confDir().resolve("10-flaky.conflist"), """
                {"cniVersion": "1.0.0", "name": "flaky", "plugins": [
                  {"type": "bridge", "bridge": "%s", "isGateway": true, "ipMasq": true,
                   "ipam": {"type": "host-local", "ranges": [[{"subnet": "%s"}]], "dataDir": "%s"}},
                  {"type": "flaky"}]}
                """.formatted(
                bed.network().bridge(), bed.network().subnet(), bed.base().resolve("ipam")));
        bed.start();
        PodSandboxConfig pod = bed.pods().pod("stuck").build();

        assertThatThrownBy(() -> bed.runtime()
                        .runPodSandbox(
                                RunPodSandboxRequest.newBuilder().setConfig(pod).build()))
                .isInstanceOf(StatusRuntimeException.class)
                .hasMessageContaining("flaky refuses ADD");

        PodSandbox listed = onlyPod();
        assertThat(listed.getMetadata().getUid()).isEqualTo(pod.getMetadata().getUid());
        assertThat(listed.getState()).isEqualTo(PodSandboxState.SANDBOX_NOTREADY);
        assertThat(teardownError(listed.getId()))
                .contains("RunPodSandbox failed")
                .contains("flaky refuses DEL");
        assertThat(Files.exists(bed.base().resolve("state/ns").resolve(listed.getId())))
                .as("the netns stays pinned for the DEL to retry against")
                .isTrue();

        assertThatThrownBy(() -> removePod(listed.getId()))
                .isInstanceOf(StatusRuntimeException.class)
                .hasMessageContaining("flaky refuses DEL");
        assertThat(onlyPod().getId()).isEqualTo(listed.getId());

        // a start retries the removal: still failing, the pod stays, saying so
        bed.kill();
        bed.start();
        awaitLog("pod " + listed.getId() + ": its removal failed again");
        assertThat(onlyPod().getId()).isEqualTo(listed.getId());
        assertThat(teardownError(listed.getId())).contains("flaky refuses DEL");

        // and once DEL works the next start removes it all by itself
        Files.delete(failDel);
        bed.kill();
        bed.start();
        awaitNoPods();
        assertThat(Files.exists(bed.base().resolve("state/ns").resolve(listed.getId())))
                .isFalse();
    }

    @Test
    void containerWhoseRollbackFailsStaysExitedWithWhyUntilRemoveContainerSucceeds() throws Exception {
        HeldLayer held = createWhileAMountHoldsTheWritableLayer("mounts");
        Path writable = held.writable();

        var containers = bed.runtime()
                .listContainers(ListContainersRequest.getDefaultInstance())
                .getContainersList();
        assertThat(containers).hasSize(1);
        String id = containers.getFirst().getId();
        assertThat(writable.getFileName().toString()).isEqualTo(id);
        ContainerStatus status = bed.pods().status(id);
        assertThat(status.getState()).isEqualTo(ContainerState.CONTAINER_EXITED);
        assertThat(status.getReason()).isEqualTo("CreateContainerError");
        assertThat(status.getMessage())
                .contains("CreateContainer failed")
                .contains("rolling it back failed")
                .contains(held.mount().toString());

        assertThatThrownBy(() -> bed.runtime()
                        .removeContainer(RemoveContainerRequest.newBuilder()
                                .setContainerId(id)
                                .build()))
                .isInstanceOf(StatusRuntimeException.class);
        assertThat(bed.pods().status(id).getState()).isEqualTo(ContainerState.CONTAINER_EXITED);

        Processes.run(List.of("umount", held.mount().toString()), 10);
        bed.runtime()
                .removeContainer(
                        RemoveContainerRequest.newBuilder().setContainerId(id).build());
        assertThat(bed.runtime()
                        .listContainers(ListContainersRequest.getDefaultInstance())
                        .getContainersList())
                .isEmpty();
        assertThat(writable).doesNotExist();
    }

    @Test
    void containerWhoseRollbackFailedIsRemovedByTheNextStart() throws Exception {
        HeldLayer held = createWhileAMountHoldsTheWritableLayer("restart");
        Path writable = held.writable();
        String id = writable.getFileName().toString();
        assertThat(bed.pods().status(id).getState()).isEqualTo(ContainerState.CONTAINER_EXITED);

        bed.kill();
        Processes.run(List.of("umount", held.mount().toString()), 10);
        bed.start();

        awaitLog("removed container " + id);
        assertThat(bed.runtime()
                        .listContainers(ListContainersRequest.getDefaultInstance())
                        .getContainersList())
                .isEmpty();
        assertThat(writable).doesNotExist();
        assertThat(onlyPod().getState()).isEqualTo(PodSandboxState.SANDBOX_READY);
    }

    private PodSandbox onlyPod() {
        List<PodSandbox> pods = bed.runtime()
                .listPodSandbox(ListPodSandboxRequest.getDefaultInstance())
                .getItemsList();
        assertThat(pods).hasSize(1);
        return pods.getFirst();
    }

    private String teardownError(String podId) {
        String info = bed.runtime()
                .podSandboxStatus(PodSandboxStatusRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .setVerbose(true)
                        .build())
                .getInfoOrDefault("info", "");
        assertThat(info).contains("\"teardownError\"");
        return info;
    }

    private void removePod(String podId) {
        bed.runtime()
                .removePodSandbox(RemovePodSandboxRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .build());
    }

    private void awaitNoPods() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!bed.runtime()
                .listPodSandbox(ListPodSandboxRequest.getDefaultInstance())
                .getItemsList()
                .isEmpty()) {
            assertThat(System.currentTimeMillis())
                    .as("the pod was never removed: %s", bed.log())
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private void awaitLog(String text) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!bed.log().contains(text)) {
            assertThat(System.currentTimeMillis())
                    .as("berthd never logged \"%s\": %s", text, bed.log())
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private void awaitFile(Path file) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!Files.exists(file)) {
            assertThat(System.currentTimeMillis())
                    .as("%s never appeared: %s", file, bed.log())
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static Path onlyEntry(Path dir) throws Exception {
        try (Stream<Path> entries = Files.list(dir)) {
            List<Path> all = entries.toList();
            assertThat(all).hasSize(1);
            return all.getFirst();
        }
    }

    /** The container's writable layer, and what is mounted inside it. */
    private record HeldLayer(Path writable, Path mount) {}

    /**
     * CreateContainer through a runtime that fails create, after something (a Bidirectional mount, a CSI plugin)
     * mounted into the container's writable layer, so that berthd cannot delete the layer in its rollback.
     */
    private HeldLayer createWhileAMountHoldsTheWritableLayer(String podName) throws Exception {
        Path createStarted = bed.base().resolve("create-started");
        Path failCreate = bed.base().resolve("fail-create");
        bed.handler("failing", """
                #!/bin/sh
                case " $* " in *" create "*)
                  touch %s
                  while [ ! -e %s ]; do sleep 0.05; done
                  echo "failing runtime refuses create" >&2; exit 1;;
                esac
                exec runc "$@"
                """.formatted(createStarted, failCreate));
        bed.start();
        PodSandboxConfig pod = bed.pods().pod(podName).build();
        String podId = bed.runtime()
                .runPodSandbox(RunPodSandboxRequest.newBuilder()
                        .setConfig(pod)
                        .setRuntimeHandler("failing")
                        .build())
                .getPodSandboxId();
        CompletableFuture<String> create = CompletableFuture.supplyAsync(() -> bed.pods()
                .create(
                        podId,
                        pod,
                        bed.pods().container("never", busybox, "true").build()));
        awaitFile(createStarted);
        Path writable = onlyEntry(bed.base().resolve("root/containers-rw"));
        Path held = Files.createDirectories(writable.resolve("held"));
        Processes.run(List.of("mount", "-t", "tmpfs", "-o", "ro,size=1m", "held", held.toString()), 10);
        Files.createFile(failCreate);
        assertThat(create).failsWithin(30, TimeUnit.SECONDS);
        return new HeldLayer(writable, held);
    }
}
