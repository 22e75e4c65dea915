package dev.berth.e2e.bench;

import dev.berth.cri.v1.PodSandbox;
import dev.berth.cri.v1.RuntimeCondition;
import dev.berth.cri.v1.StatusRequest;
import dev.berth.process.CommandRunner;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * containerd 1.6 with its CRI plugin, as a kubelet node runs it, but entirely inside one temporary
 * directory (and one under /run for state, sockets, the shims' runc root and pod netns mounts); only
 * the shims' own sockets go to containerd 1.6's fixed /run/containerd/s. It
 * pulls its sandbox image from the bench's plain-HTTP registry on 127.0.0.1 (there is no other
 * network), uses the cgroupfs driver, and may not lower OOM scores (this host lacks CAP_SYS_RESOURCE).
 */
final class ContainerdCri implements AutoCloseable {

    static final Path CONTAINERD = Path.of("/usr/bin/containerd");
    static final Path RUNC = Path.of("/usr/sbin/runc");
    private static final long START_TIMEOUT_MILLIS = 30_000;
    private static final Logger LOG = LoggerFactory.getLogger(ContainerdCri.class);

    private final Path dir;
    private final Path runDir;
    private final Process process;
    private final CriClient client;
    private final CommandRunner commands;

    private ContainerdCri(Path dir, Path runDir, Process process, CommandRunner commands) {
        this.dir = dir;
        this.runDir = runDir;
        this.process = process;
        this.commands = commands;
        this.client = CriClient.connect(runDir.resolve("containerd.sock"));
    }

    static boolean available() {
        return Files.isExecutable(CONTAINERD) && Files.isExecutable(RUNC);
    }

    /**
     * Starts it and waits until its CRI service answers and reports the runtime ready; fails with
     * containerd's log when it does not.
     */
    static ContainerdCri start(
            Path parent, String registryHostPort, String sandboxImage, BenchNetwork network, CommandRunner commands)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(parent, "containerd-cri-");
        // containerd refuses socket paths over 104 bytes, so sockets and state (tmpfs, as on a node) live
        // in a short directory of their own rather than below the bench's.
        Path runDir = Files.createTempDirectory(Path.of("/run"), "berth-ctd-");
        Path hosts = Files.createDirectories(dir.resolve("certs.d").resolve(registryHostPort));
        Files.writeString(hosts.resolve("hosts.toml"), """
                server = "http://%1$s"
                [host."http://%1$s"]
                  capabilities = ["pull", "resolve"]
                """.formatted(registryHostPort));
        Files.writeString(dir.resolve("config.toml"), config(dir, runDir, sandboxImage, network));
        Process process = new ProcessBuilder(
                        CONTAINERD.toString(),
                        "--config",
                        dir.resolve("config.toml").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("containerd.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        ContainerdCri peer = new ContainerdCri(dir, runDir, process, commands);
        try {
            peer.awaitRuntimeReady();
            return peer;
        } catch (IOException | RuntimeException e) {
            peer.close();
            throw e;
        }
    }

    private static String config(Path dir, Path runDir, String sandboxImage, BenchNetwork network) {
        return """
                version = 2
                root = "%1$s/root"
                state = "%6$s/state"
                [grpc]
                  address = "%6$s/containerd.sock"
                  max_recv_message_size = 16777216
                  max_send_message_size = 16777216
                [ttrpc]
                  address = "%6$s/containerd.sock.ttrpc"
                [plugins."io.containerd.internal.v1.opt"]
                  path = "%1$s/opt"
                [plugins."io.containerd.grpc.v1.cri"]
                  sandbox_image = "%2$s"
                  restrict_oom_score_adj = true
                  netns_mounts_under_state_dir = true
                  stream_server_address = "127.0.0.1"
                  stream_server_port = "0"
                  enable_selinux = false
                  [plugins."io.containerd.grpc.v1.cri".containerd]
                    snapshotter = "overlayfs"
                    default_runtime_name = "runc"
                    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
                      runtime_type = "io.containerd.runc.v2"
                      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                        BinaryName = "%3$s"
                        Root = "%6$s/runc"
                        SystemdCgroup = false
                  [plugins."io.containerd.grpc.v1.cri".cni]
                    bin_dir = "%4$s"
                    conf_dir = "%5$s"
                    max_conf_num = 1
                  [plugins."io.containerd.grpc.v1.cri".registry]
                    config_path = "%1$s/certs.d"
                """.formatted(dir, sandboxImage, RUNC, network.binDir(), network.confDir(), runDir);
    }

    private void awaitRuntimeReady() throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        String last = "no answer";
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("containerd exited (" + process.exitValue() + "): " + logTail());
            }
            try {
                List<RuntimeCondition> conditions = client.runtime()
                        .withDeadlineAfter(2, TimeUnit.SECONDS)
                        .status(StatusRequest.getDefaultInstance())
                        .getStatus()
                        .getConditionsList();
                if (!conditions.isEmpty() && conditions.stream().allMatch(RuntimeCondition::getStatus)) {
                    return;
                }
                last = conditions.toString();
            } catch (StatusRuntimeException e) {
                last = e.getStatus().toString();
                if (e.getStatus().getCode() == io.grpc.Status.Code.UNIMPLEMENTED) {
                    throw new IOException(
                            "containerd's CRI plugin is not serving runtime.v1: " + last + "\n" + logTail());
                }
            }
            Thread.sleep(100);
        }
        throw new IOException("containerd's CRI runtime not ready within " + START_TIMEOUT_MILLIS + " ms: " + last
                + "\n" + logTail());
    }

    CriClient client() {
        return client;
    }

    long rssKib() throws IOException {
        return Rss.ofPid(process.pid());
    }

    /** Where its content store keeps blobs and its overlayfs snapshotter unpacked layers; both empty when cold. */
    List<Path> imageStoreDirs() {
        Path root = dir.resolve("root");
        return List.of(
                root.resolve("io.containerd.content.v1.content/blobs/sha256"),
                root.resolve("io.containerd.snapshotter.v1.overlayfs/snapshots"));
    }

    long pid() {
        return process.pid();
    }

    /** Resident memory of its shims (one per pod in 1.6), which hold what containerd delegates per pod. */
    long shimsRssKib() {
        return Rss.sumOf(ProcessHandle.allProcesses()
                .filter(p -> p.info()
                        .commandLine()
                        .map(l -> l.contains("containerd-shim") && l.contains(runDir.toString()))
                        .orElse(false)));
    }

    String logTail() {
        try {
            String log = Files.readString(dir.resolve("containerd.log"), StandardCharsets.UTF_8);
            return log.length() > 3000 ? log.substring(log.length() - 3000) : log;
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /**
     * Stops containerd, then removes whatever a failed run left: containers still known to its runc
     * root, shims, mounts (rootfs, netns) and the directory itself.
     */
    @Override
    public void close() throws IOException {
        removeRemainingPods();
        client.close();
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        HostCleanup cleanup = new HostCleanup(commands);
        cleanup.deleteRuncContainersBelow(runDir);
        List<Long> shims = cleanup.killProcessesMentioning(runDir.toString());
        if (!shims.isEmpty()) {
            LOG.warn("killed {} containerd shims left after the run: {}", shims.size(), shims);
            deleteShimSockets();
        }
        for (Path tree : List.of(runDir, dir)) {
            cleanup.unmountBelow(tree);
            dev.berth.store.Directories.deleteRecursively(tree);
        }
    }

    /** What kubelet would do before stopping the node's runtime; pods that will not go are left to the fallback. */
    private void removeRemainingPods() {
        if (!process.isAlive()) {
            return;
        }
        try {
            for (PodSandbox pod : client.listPodSandboxes()) {
                try {
                    client.stopAndRemovePodSandbox(pod.getId());
                } catch (StatusRuntimeException e) {
                    LOG.warn("containerd could not remove pod {}: {}", pod.getId(), e.getStatus());
                }
            }
        } catch (StatusRuntimeException e) {
            LOG.warn("containerd did not list its pods: {}", e.getStatus());
        }
    }

    /**
     * A killed shim cannot remove its socket, which containerd 1.6 puts in the fixed /run/containerd/s
     * whatever its state dir; each task's bundle names its shim's socket in a file "address".
     */
    private void deleteShimSockets() throws IOException {
        Path tasks = runDir.resolve("state/io.containerd.runtime.v2.task");
        if (!Files.isDirectory(tasks)) {
            return;
        }
        List<Path> addresses;
        try (var walk = Files.walk(tasks, 3)) {
            addresses = walk.filter(p -> p.getFileName().toString().equals("address"))
                    .toList();
        }
        for (Path address : addresses) {
            String socket = Files.readString(address).strip().replaceFirst("^unix://", "");
            if (socket.startsWith("/run/containerd/s/")) {
                Files.deleteIfExists(Path.of(socket));
            }
        }
    }
}
