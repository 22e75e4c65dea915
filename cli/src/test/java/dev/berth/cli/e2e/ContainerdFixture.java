package dev.berth.cli.e2e;

import dev.berth.cri.v1.ListPodSandboxRequest;
import dev.berth.cri.v1.PodSandbox;
import dev.berth.cri.v1.RemovePodSandboxRequest;
import dev.berth.cri.v1.RuntimeServiceGrpc;
import dev.berth.cri.v1.StopPodSandboxRequest;
import dev.berth.cri.v1.VersionRequest;
import dev.berth.testkit.cri.CriChannel;
import dev.berth.testkit.registry.Processes;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's containerd (1.6) with its CRI plugin, on directories, sockets, runc root, CNI config and bridge of its
 * own, pulling only from the test's registry (plain HTTP through a hosts.toml; its pause image is pushed there),
 * so it never reaches registry.k8s.io or docker.io. Closing it removes its pods, stops it and deletes its files.
 */
final class ContainerdFixture implements AutoCloseable {

    private static final long START_SECONDS = 30;

    private final Path base;
    private final Process process;
    private final String bridge;
    private final CriChannel channel;

    private ContainerdFixture(Path base, Process process, String bridge, CriChannel channel) {
        this.base = base;
        this.process = process;
        this.bridge = bridge;
        this.channel = channel;
    }

    /** containerd with {@code sandboxImage} (in the registry at {@code registry}, host:port) as its pause image. */
    static ContainerdFixture start(String registry, String sandboxImage) throws IOException, InterruptedException {
        Path base = Files.createTempDirectory("berth-cli-containerd-");
        String bridge = "bk" + ThreadLocalRandom.current().nextInt(100_000, 999_999);
        int octet = ThreadLocalRandom.current().nextInt(1, 250);
        Path cni = Files.createDirectories(base.resolve("cni"));
        Files.writeString(cni.resolve("10-test.conflist"), """
                {"cniVersion": "1.0.0", "name": "%s", "plugins": [
                  {"type": "bridge", "bridge": "%s", "isGateway": true, "ipMasq": false,
                   "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.235.%d.0/24"}]],
                            "dataDir": "%s"}},
                  {"type": "loopback"}]}
                """.formatted(bridge, bridge, octet, base.resolve("ipam")));
        Path hosts = Files.createDirectories(base.resolve("certs.d").resolve(registry));
        Files.writeString(hosts.resolve("hosts.toml"), """
                server = "http://%s"
                [host."http://%s"]
                  capabilities = ["pull", "resolve"]
                """.formatted(registry, registry));
        Path socket = base.resolve("containerd.sock");
        Path config = Files.writeString(base.resolve("config.toml"), """
                version = 2
                root = "%1$s/root"
                state = "%1$s/state"
                disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
                  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]
                [grpc]
                  address = "%2$s"
                [ttrpc]
                  address = "%2$s.ttrpc"
                [plugins."io.containerd.internal.v1.opt"]
                  path = "%1$s/opt"
                [plugins."io.containerd.grpc.v1.cri"]
                  sandbox_image = "%3$s"
                  disable_apparmor = true
                  # no CAP_SYS_RESOURCE in every test environment: runc may not lower a sandbox's score to -998
                  restrict_oom_score_adj = true
                  stream_server_address = "127.0.0.1"
                  stream_server_port = "0"
                  [plugins."io.containerd.grpc.v1.cri".containerd]
                    snapshotter = "overlayfs"
                    default_runtime_name = "runc"
                    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
                      runtime_type = "io.containerd.runc.v2"
                      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                        Root = "%1$s/runc"
                  [plugins."io.containerd.grpc.v1.cri".cni]
                    bin_dir = "/usr/lib/cni"
                    conf_dir = "%4$s"
                  [plugins."io.containerd.grpc.v1.cri".registry]
                    config_path = "%1$s/certs.d"
                """.formatted(base, socket, sandboxImage, cni));
        Process process = new ProcessBuilder("containerd", "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(base.resolve("containerd.log").toFile())
                .start();
        CriChannel channel = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("containerd ended at start: " + log(base));
            }
            if (Files.exists(socket)) {
                channel = channel == null ? CriChannel.connect(socket) : channel;
                try {
                    RuntimeServiceGrpc.newBlockingStub(channel.channel()).version(VersionRequest.getDefaultInstance());
                    return new ContainerdFixture(base, process, bridge, channel);
                } catch (StatusRuntimeException e) {
                    // the CRI plugin is not serving yet
                }
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IOException("containerd did not serve CRI within " + START_SECONDS + " s: " + log(base));
            }
            Thread.sleep(50);
        }
    }

    String endpoint() {
        return "unix://" + base.resolve("containerd.sock");
    }

    String log() throws IOException {
        return log(base);
    }

    private static String log(Path base) throws IOException {
        Path log = base.resolve("containerd.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    List<PodSandbox> pods() {
        return runtime()
                .listPodSandbox(ListPodSandboxRequest.getDefaultInstance())
                .getItemsList();
    }

    private RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime() {
        return RuntimeServiceGrpc.newBlockingStub(channel.channel()).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            // the shims outlive containerd: the pods go first, through containerd itself
            for (PodSandbox pod : pods()) {
                runtime()
                        .stopPodSandbox(StopPodSandboxRequest.newBuilder()
                                .setPodSandboxId(pod.getId())
                                .build());
                runtime()
                        .removePodSandbox(RemovePodSandboxRequest.newBuilder()
                                .setPodSandboxId(pod.getId())
                                .build());
            }
        } finally {
            channel.close();
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            // what containerd keeps mounted under its root (snapshots, the pods' shm), deepest first
            for (String mount : Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                    .map(line -> line.split(" ")[1])
                    .filter(point -> point.startsWith(base.toString()))
                    .sorted(Comparator.reverseOrder())
                    .toList()) {
                Processes.run(List.of("umount", "-l", mount), 10);
            }
            String links = Processes.run(List.of("ip", "-o", "link", "show"), 10);
            if (links.contains(" " + bridge + ":")) {
                Processes.run(List.of("ip", "link", "del", bridge), 10);
            }
            try (Stream<Path> paths = Files.walk(base)) {
                for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }
}
