package dev.berth.cri.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cri.v1.ContainerConfig;
import dev.berth.cri.v1.ContainerState;
import dev.berth.cri.v1.ContainerStatusRequest;
import dev.berth.cri.v1.ImageServiceGrpc;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.ListContainersRequest;
import dev.berth.cri.v1.ListPodSandboxRequest;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.PodSandboxStatusRequest;
import dev.berth.cri.v1.PullImageRequest;
import dev.berth.cri.v1.RemoveContainerRequest;
import dev.berth.cri.v1.RemovePodSandboxRequest;
import dev.berth.cri.v1.RunPodSandboxRequest;
import dev.berth.cri.v1.RuntimeServiceGrpc;
import dev.berth.cri.v1.StartContainerRequest;
import dev.berth.cri.v1.StopPodSandboxRequest;
import dev.berth.cri.v1.VersionRequest;
import dev.berth.store.Directories;
import dev.berth.testing.HostCgroups;
import dev.berth.testing.LeakCheck;
import dev.berth.testing.PodClient;
import dev.berth.testing.PodNetworkFixture;
import dev.berth.testkit.Privileges;
import dev.berth.testkit.cri.BerthdProcess;
import dev.berth.testkit.layer.BusyboxImage;
import dev.berth.testkit.registry.ImagePusher;
import dev.berth.testkit.registry.Processes;
import dev.berth.testkit.registry.RegistryFixture;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The node a fuzz run throws requests at: a real docker-registry holding busybox, berthd as its own process
 * (the launcher's JVM flags, so its heap is a node's 256 MiB) on its own bridge and subnet, and the objects whose
 * IDs mutated requests name: a running target pod with a running container, and a busybox image. Fuzzed pods
 * live under cgroups named {@code <marker>-…}. {@link #close} removes every pod, stops berthd and checks that
 * nothing is left on the host.
 */
final class FuzzNode implements AutoCloseable {

    /** Every call gets this long; an answer that takes longer is a hang, not a DEADLINE_EXCEEDED of berthd's. */
    static final long CALL_DEADLINE_MILLIS = 15_000;

    private final String marker;
    private final Path base;
    private final PodNetworkFixture network;
    private final RegistryFixture registry;
    private final BerthdProcess berthd;
    private final PodClient pods;
    private final String busybox;
    private final Set<String> createdCgroups = ConcurrentHashMap.newKeySet();
    private volatile String busyboxId;
    private volatile PodSandboxConfig targetPodConfig;
    private volatile String targetPod;
    private volatile String targetContainer;
    private volatile String victimPod;
    private volatile String victimContainer;

    private FuzzNode(
            String marker, Path base, PodNetworkFixture network, RegistryFixture registry, BerthdProcess berthd)
            throws Exception {
        this.marker = marker;
        this.base = base;
        this.network = network;
        this.registry = registry;
        this.berthd = berthd;
        this.pods = new PodClient(this::runtime, base.resolve("logs"), marker);
        this.busybox = new ImagePusher(registry)
                .pushImage("fuzz/busybox", "1", BusyboxImage.fromHost().image())
                .reference();
        pullBusybox();
        ensureTargets();
    }

    /** {@code images.pullProgressTimeout} is short: a fuzzed pull from a silent port must not stall the run. */
    static FuzzNode start(String marker) throws Exception {
        Privileges.requireRoot();
        Privileges.require(
                RegistryFixture.available(), "docker-registry is not installed (apt-get install docker-registry)");
        Privileges.require(
                Files.isExecutable(Path.of("/usr/bin/conmon")), "conmon is not installed (apt-get install conmon)");
        Path base = Files.createTempDirectory("berth-fuzz-");
        PodNetworkFixture network = PodNetworkFixture.random(base);
        Files.createDirectories(network.confDir());
        Path config = Files.writeString(
                base.resolve("berth.yaml"), """
                images:
                  pullProgressTimeout: 2s
                network:
                  confDir: %s
                  bridge: %s
                  subnet: %s
                """.formatted(network.confDir(), network.bridge(), network.subnet()));
        RegistryFixture registry = RegistryFixture.start();
        BerthdProcess berthd = null;
        try {
            berthd = BerthdProcess.start(
                    BerthdProcess.LAUNCHER_JVM_FLAGS,
                    config,
                    base.resolve("root"),
                    base.resolve("state"),
                    base.resolve("berthd.log"));
            return new FuzzNode(marker, base, network, registry, berthd);
        } catch (Exception | Error e) {
            if (berthd != null) {
                berthd.close();
            }
            registry.close();
            network.deleteBridge();
            Directories.deleteRecursively(base);
            throw e;
        }
    }

    RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime() {
        return berthd.runtime().withDeadlineAfter(CALL_DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
    }

    ImageServiceGrpc.ImageServiceBlockingStub images() {
        return berthd.images().withDeadlineAfter(CALL_DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
    }

    ManagedChannel channel() {
        return (ManagedChannel) runtime().getChannel();
    }

    String marker() {
        return marker;
    }

    Path base() {
        return base;
    }

    /** Where host-side paths of fuzzed requests (log dirs, mount and device sources) are confined to. */
    Path hostScratch() {
        return base.resolve("host");
    }

    PodNetworkFixture network() {
        return network;
    }

    String registryHostPort() {
        return registry.hostPort();
    }

    PodClient pods() {
        return pods;
    }

    String busybox() {
        return busybox;
    }

    String busyboxId() {
        return busyboxId;
    }

    PodSandboxConfig targetPodConfig() {
        return targetPodConfig;
    }

    String targetPod() {
        return targetPod;
    }

    String targetContainer() {
        return targetContainer;
    }

    /** A pod cgroup an OK RunPodSandbox made from a fuzzed cgroup_parent: it must be gone once the pod is. */
    void podCgroupMade(String cgroupParent) {
        createdCgroups.add(cgroupParent);
    }

    /**
     * berthd's resident set (VmRSS) after a full collection, which also gives the serial collector's free heap
     * back: what berthd keeps, not the peak of the last big request.
     */
    long rssAfterGcBytes() throws IOException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Processes.run(List.of(jcmd, Long.toString(berthd.pid()), "GC.run"), 60);
        return procStatus("VmRSS:") * 1024;
    }

    int threads() throws IOException {
        return (int) procStatus("Threads:");
    }

    private long procStatus(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(berthd.pid()), "status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no " + key + " for berthd " + berthd.pid());
    }

    long logBytes() throws IOException {
        return Files.size(base.resolve("berthd.log"));
    }

    /** berthd's process runs and its Version answers: the check after every batch. */
    void assertServing() {
        assertThat(berthd.process().isAlive())
                .as("berthd is alive; its log ends: %s", logTail())
                .isTrue();
        assertThat(runtime().version(VersionRequest.getDefaultInstance()).getRuntimeName())
                .isEqualTo("berth");
    }

    String logTail() {
        String log = berthd.log();
        return log.substring(Math.max(0, log.length() - 4000));
    }

    /** Pulls busybox again if a fuzzed RemoveImage removed it. */
    void pullBusybox() {
        busyboxId = images().pullImage(PullImageRequest.newBuilder()
                        .setImage(ImageSpec.newBuilder().setImage(busybox))
                        .build())
                .getImageRef();
    }

    /**
     * Makes the target pod and its running container again when a fuzzed call stopped or removed them. Its
     * command ends at once on SIGTERM (a shell as PID 1 ignores it otherwise), so a fuzzed stop never waits out
     * its grace period.
     */
    void ensureTargets() {
        if (targetPod == null || !podReady(targetPod)) {
            if (targetPod != null) {
                removePod(targetPod);
            }
            targetPodConfig = pods.pod("fuzz-target").build();
            targetPod = pods.run(targetPodConfig);
            targetContainer = null;
        }
        if (targetContainer == null || !containerRunning(targetContainer)) {
            if (targetContainer != null) {
                removeContainer(targetContainer);
            }
            targetContainer = pods.createAndStart(
                    targetPod, targetPodConfig, targetContainerConfig().build());
        }
    }

    ContainerConfig.Builder targetContainerConfig() {
        return pods.container("target", busybox, "sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait");
    }

    private boolean podReady(String id) {
        try {
            return runtime()
                            .podSandboxStatus(PodSandboxStatusRequest.newBuilder()
                                    .setPodSandboxId(id)
                                    .build())
                            .getStatus()
                            .getState()
                    == dev.berth.cri.v1.PodSandboxState.SANDBOX_READY;
        } catch (StatusRuntimeException e) {
            return false;
        }
    }

    private boolean containerRunning(String id) {
        try {
            return runtime()
                            .containerStatus(ContainerStatusRequest.newBuilder()
                                    .setContainerId(id)
                                    .build())
                            .getStatus()
                            .getState()
                    == ContainerState.CONTAINER_RUNNING;
        } catch (StatusRuntimeException e) {
            return false;
        }
    }

    /**
     * A new running container in the target pod, for a destructive fuzzed call (start, stop, remove) to take
     * instead of the target; {@link #removeVictims} removes what the call left.
     */
    String newVictimContainer() {
        victimContainer = pods.createAndStart(
                targetPod,
                targetPodConfig,
                targetContainerConfig()
                        .setMetadata(
                                dev.berth.cri.v1.ContainerMetadata.newBuilder().setName("victim-" + System.nanoTime()))
                        .build());
        return victimContainer;
    }

    /** A new pod for a fuzzed stop or remove of a pod. */
    String newVictimPod() {
        victimPod = pods.run(pods.pod("fuzz-victim-" + System.nanoTime()).build());
        return victimPod;
    }

    /** The victims' IDs, or the target's before any victim was made. */
    String victimContainer() {
        return victimContainer != null ? victimContainer : targetContainer;
    }

    String victimPod() {
        return victimPod != null ? victimPod : targetPod;
    }

    void removeVictims() {
        if (victimContainer != null) {
            removeContainer(victimContainer);
            victimContainer = null;
        }
        if (victimPod != null) {
            removePod(victimPod);
            victimPod = null;
        }
    }

    /** Best effort, for what OK answers made: a failure here shows up in the leak check. */
    void removePod(String id) {
        try {
            runtime()
                    .stopPodSandbox(StopPodSandboxRequest.newBuilder()
                            .setPodSandboxId(id)
                            .build());
            runtime()
                    .removePodSandbox(RemovePodSandboxRequest.newBuilder()
                            .setPodSandboxId(id)
                            .build());
        } catch (StatusRuntimeException e) {
            // reported by the leak check if it left anything
        }
    }

    void removeContainer(String id) {
        try {
            runtime()
                    .removeContainer(RemoveContainerRequest.newBuilder()
                            .setContainerId(id)
                            .build());
        } catch (StatusRuntimeException e) {
            // reported by the leak check if it left anything
        }
    }

    void startContainer(String id) {
        runtime()
                .startContainer(
                        StartContainerRequest.newBuilder().setContainerId(id).build());
    }

    /** Creates a pod through a plain RunPodSandbox, for the liveness of pod starts after a batch. */
    String run(PodSandboxConfig config) {
        return runtime()
                .runPodSandbox(
                        RunPodSandboxRequest.newBuilder().setConfig(config).build())
                .getPodSandboxId();
    }

    /**
     * Removes every pod, asserts berthd lists none and no container, stops berthd, then checks the host: no
     * mount, pinned namespace, cgroup, veth, iptables rule or process of its pods, and no pod cgroup a fuzzed
     * cgroup_parent made. The parents above those are kubelet's to remove, so this removes them.
     */
    void removeEverythingAndCheckForLeaks() throws Exception {
        for (var pod : runtime()
                .listPodSandbox(ListPodSandboxRequest.getDefaultInstance())
                .getItemsList()) {
            removePod(pod.getId());
        }
        targetPod = null;
        targetContainer = null;
        assertThat(runtime()
                        .listPodSandbox(ListPodSandboxRequest.getDefaultInstance())
                        .getItemsList())
                .as("pods left")
                .isEmpty();
        assertThat(runtime()
                        .listContainers(ListContainersRequest.getDefaultInstance())
                        .getContainersList())
                .as("containers left")
                .isEmpty();
        berthd.close();
        assertThat(berthd.process().exitValue())
                .as("berthd stops cleanly on SIGTERM: %s", logTail())
                .isIn(0, 143);
        HostCgroups cgroups = HostCgroups.detect();
        List<String> leftCgroups = new ArrayList<>();
        for (String cgroup : createdCgroups) {
            for (Path dir : cgroups.everywhere(cgroup)) {
                if (Files.isDirectory(dir)) {
                    leftCgroups.add(dir.toString());
                }
            }
        }
        assertThat(leftCgroups).as("pod cgroups of fuzzed cgroup_parents").isEmpty();
        removeFuzzedParents(cgroups);
        LeakCheck.assertNothingLeft(base, network, marker);
    }

    private void removeFuzzedParents(HostCgroups cgroups) throws IOException {
        for (Path root : cgroups.roots()) {
            try (Stream<Path> children = Files.list(root)) {
                for (Path parent : children.filter(
                                c -> c.getFileName().toString().startsWith(marker + "-fz"))
                        .toList()) {
                    try (Stream<Path> tree = Files.walk(parent)) {
                        for (Path dir : tree.filter(Files::isDirectory)
                                .sorted(Comparator.reverseOrder())
                                .toList()) {
                            Files.delete(dir);
                        }
                    }
                }
            }
        }
    }

    /** Removes what is left if the leak check did not run (a failed run), so no container outlives berthd. */
    @Override
    public void close() throws Exception {
        try {
            if (berthd.process().isAlive()) {
                try {
                    for (var pod : runtime()
                            .listPodSandbox(ListPodSandboxRequest.getDefaultInstance())
                            .getItemsList()) {
                        removePod(pod.getId());
                    }
                } catch (StatusRuntimeException e) {
                    // berthd is what failed: its pods' cgroups show in the next leak check
                }
            }
            berthd.close();
        } finally {
            try {
                // kept for the stack traces behind INTERNAL and UNKNOWN answers (the report shows only their message)
                Path kept = Path.of("target", "fuzz-" + marker + "-berthd.log");
                Files.createDirectories(kept.getParent());
                Files.copy(base.resolve("berthd.log"), kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                LeakCheck.unmountEverythingUnder(base);
                registry.close();
                network.deleteBridge();
            } finally {
                Directories.deleteRecursively(base);
            }
        }
    }
}
