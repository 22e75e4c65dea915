package dev.berth.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cri.v1.ContainerState;
import dev.berth.cri.v1.ContainerStatus;
import dev.berth.cri.v1.ExecSyncRequest;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.ListContainersRequest;
import dev.berth.cri.v1.ListPodSandboxRequest;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.PullImageRequest;
import dev.berth.cri.v1.RemovePodSandboxRequest;
import dev.berth.cri.v1.RunPodSandboxRequest;
import dev.berth.cri.v1.StartContainerRequest;
import dev.berth.store.Directories;
import dev.berth.testing.LeakCheck;
import dev.berth.testing.ManyLayerImage;
import dev.berth.testing.PodClient;
import dev.berth.testing.PodNetworkFixture;
import dev.berth.testkit.Privileges;
import dev.berth.testkit.cri.BerthdProcess;
import dev.berth.testkit.layer.BusyboxImage;
import dev.berth.testkit.registry.ImagePusher;
import dev.berth.testkit.registry.RegistryFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * berthd SIGKILLed with pods running and in the middle of creating them, then started again on the same
 * directories: running containers keep running, exits that happened meanwhile report their real code,
 * and whatever was half made is cleaned up.
 */
class PodRestartTest {

    private static final String CGROUP_MARKER = "berthrestart";
    private static RegistryFixture registry;
    private static String busybox;

    private Path base;
    private PodNetworkFixture network;
    private BerthdProcess berthd;
    private PodClient pods;

    @BeforeAll
    static void startRegistry() throws Exception {
        Privileges.requireRoot();
        Privileges.require(
                RegistryFixture.available(), "docker-registry is not installed (apt-get install docker-registry)");
        registry = RegistryFixture.start();
        busybox = new ImagePusher(registry)
                .pushImage("restart/busybox", "1", BusyboxImage.fromHost().image())
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
        base = Files.createTempDirectory("berthd-restart-");
        network = PodNetworkFixture.random(base);
        Files.createDirectories(network.confDir());
        Files.createDirectories(base.resolve("plugins"));
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (berthd != null && berthd.process().isAlive()) {
                for (var pod : berthd.runtime()
                        .listPodSandbox(ListPodSandboxRequest.getDefaultInstance())
                        .getItemsList()) {
                    berthd.runtime()
                            .removePodSandbox(RemovePodSandboxRequest.newBuilder()
                                    .setPodSandboxId(pod.getId())
                                    .build());
                }
                berthd.close();
                LeakCheck.assertNothingLeft(base, network, CGROUP_MARKER);
            }
        } finally {
            if (berthd != null) {
                berthd.close();
            }
            LeakCheck.unmountEverythingUnder(base);
            network.deleteBridge();
            Directories.deleteRecursively(base);
        }
    }

    private void startBerthd() throws Exception {
        Path config = base.resolve("berth.yaml");
        Files.writeString(config, """
                network:
                  confDir: %s
                  pluginDirs: [%s, /usr/lib/cni, /opt/cni/bin]
                  bridge: %s
                  subnet: %s
                runtimes:
                  slow:
                    path: %s
                """.formatted(
                        network.confDir(),
                        base.resolve("plugins"),
                        network.bridge(),
                        network.subnet(),
                        base.resolve("slow-runc")));
        berthd = BerthdProcess.start(base, config);
        pods = new PodClient(berthd::runtime, base.resolve("logs"), CGROUP_MARKER);
        try {
            berthd.images()
                    .pullImage(PullImageRequest.newBuilder()
                            .setImage(ImageSpec.newBuilder().setImage(busybox))
                            .build());
        } catch (RuntimeException e) {
            throw new AssertionError("berthd did not answer; its log:\n" + BerthdProcess.log(base), e);
        }
    }

    @Test
    void containersOutliveSigkillAndReportTheirRealExitAfterRestart() throws Exception {
        startBerthd();
        PodSandboxConfig pod = pods.pod("survivor").build();
        String podId = pods.run(pod);
        String longRunning = pods.createAndStart(
                podId, pod, pods.container("long", busybox, "sleep", "1000").build());
        String shortLived = pods.createAndStart(
                podId,
                pod,
                pods.container("short", busybox, "sh", "-c", "sleep 2; echo finishing; exit 7")
                        .build());
        String waiting = pods.create(
                podId, pod, pods.container("waiting", busybox, "sleep", "1000").build());

        berthd.kill();
        Thread.sleep(3000);
        startBerthd();

        assertThat(pods.status(longRunning).getState()).isEqualTo(ContainerState.CONTAINER_RUNNING);
        ContainerStatus exited = pods.status(shortLived);
        assertThat(exited.getState()).isEqualTo(ContainerState.CONTAINER_EXITED);
        assertThat(exited.getExitCode()).isEqualTo(7);
        assertThat(exited.getReason()).isEqualTo("Error");
        assertThat(Files.readString(Path.of(exited.getLogPath()))).contains("stdout F finishing");
        assertThat(pods.status(waiting).getState()).isEqualTo(ContainerState.CONTAINER_CREATED);

        berthd.runtime()
                .startContainer(StartContainerRequest.newBuilder()
                        .setContainerId(waiting)
                        .build());
        assertThat(pods.status(waiting).getState()).isEqualTo(ContainerState.CONTAINER_RUNNING);
        var exec = berthd.runtime()
                .execSync(ExecSyncRequest.newBuilder()
                        .setContainerId(longRunning)
                        .addAllCmd(List.of("cat", "/etc/hostname"))
                        .setTimeout(10)
                        .build());
        assertThat(exec.getStdout().toStringUtf8().strip()).isEqualTo("survivor");
    }

    @Test
    void containerOfA128LayerImageKeepsItsRootfsOverARestartAndLosesItOnRemoval() throws Exception {
        startBerthd();
        String manyLayers = new ImagePusher(registry)
                .pushImage("restart/many-layers", "1", ManyLayerImage.of(128))
                .reference();
        berthd.images()
                .pullImage(PullImageRequest.newBuilder()
                        .setImage(ImageSpec.newBuilder().setImage(manyLayers))
                        .build());
        PodSandboxConfig pod = pods.pod("layers").build();
        String podId = pods.run(pod);
        String container = pods.createAndStart(
                podId, pod, pods.container("sleep", manyLayers, "sleep", "1000").build());

        berthd.kill();
        startBerthd();

        assertThat(pods.status(container).getState()).isEqualTo(ContainerState.CONTAINER_RUNNING);
        assertThat(pods.execSync(container, "sh", "-c", "ls / | grep -c layer-"))
                .isEqualTo("128\n");
        assertThat(overlaysOf(container)).hasSize(1);
        berthd.runtime()
                .removePodSandbox(RemovePodSandboxRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .build());
        assertThat(overlaysOf(container)).isEmpty();
    }

    private static List<String> overlaysOf(String containerId) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(line -> line.contains(containerId) && line.contains(" - overlay "))
                .toList();
    }

    @Test
    void podCutShortInNetworkSetupIsRolledBackOnRestart() throws Exception {
        Path started = base.resolve("sleepy-started");
        Path released = base.resolve("sleepy-released");
        Path plugin = base.resolve("plugins/sleepy");
        Files.writeString(plugin, """
                #!/bin/sh
                if [ "$CNI_COMMAND" = ADD ]; then
                  touch %s
                  while [ ! -e %s ]; do sleep 0.05; done
                  echo '{"code": 11, "msg": "released"}'; exit 1
                fi
                exit 0
                """.formatted(started, released));
        Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(network.confDir().resolve("10-slow.conflist"), """
                {"cniVersion": "1.0.0", "name": "slow", "plugins": [
                  {"type": "bridge", "bridge": "%s", "isGateway": true, "ipMasq": true,
                   "ipam": {"type": "host-local", "ranges": [[{"subnet": "%s"}]], "dataDir": "%s"}},
                  {"type": "sleepy"}]}
                """.formatted(
                        network.bridge(), network.subnet(), base.resolve("ipam")));
        startBerthd();
        PodSandboxConfig pod = pods.pod("cut-short").build();
        CompletableFuture<String> run = CompletableFuture.supplyAsync(() -> berthd.runtime()
                .runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(pod).build())
                .getPodSandboxId());
        awaitFile(started);

        berthd.kill();
        assertThat(run).failsWithin(10, TimeUnit.SECONDS);
        // the plugin berthd was waiting for finishes on its own, its caller gone
        Files.createFile(released);
        startBerthd();

        assertThat(berthd.runtime()
                        .listPodSandbox(ListPodSandboxRequest.getDefaultInstance())
                        .getItemsList())
                .isEmpty();
        berthd.close();
        LeakCheck.assertNothingLeft(base, network, CGROUP_MARKER);
        berthd = null;
    }

    @Test
    void containerCutShortInCreateIsRolledBackOnRestart() throws Exception {
        Path started = base.resolve("slow-create-started");
        Path slowRunc = base.resolve("slow-runc");
        Files.writeString(slowRunc, """
                #!/bin/sh
                case " $* " in *" create "*) touch %s; sleep 600;; esac
                exec runc "$@"
                """.formatted(started));
        Files.setPosixFilePermissions(slowRunc, PosixFilePermissions.fromString("rwxr-xr-x"));
        startBerthd();
        PodSandboxConfig pod = pods.pod("slow-create").build();
        String podId = berthd.runtime()
                .runPodSandbox(RunPodSandboxRequest.newBuilder()
                        .setConfig(pod)
                        .setRuntimeHandler("slow")
                        .build())
                .getPodSandboxId();
        CompletableFuture<String> create = CompletableFuture.supplyAsync(() -> pods.create(
                podId, pod, pods.container("never", busybox, "sleep", "1000").build()));
        awaitFile(started);

        berthd.kill();
        assertThat(create).failsWithin(10, TimeUnit.SECONDS);
        startBerthd();

        assertThat(berthd.runtime()
                        .listContainers(ListContainersRequest.getDefaultInstance())
                        .getContainersList())
                .isEmpty();
        assertThat(berthd.runtime()
                        .listPodSandbox(ListPodSandboxRequest.getDefaultInstance())
                        .getItemsList())
                .hasSize(1);
    }

    private void awaitFile(Path file) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!Files.exists(file)) {
            assertThat(System.currentTimeMillis())
                    .as("%s never appeared: %s", file, BerthdProcess.log(base))
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
