package dev.berth.e2e.bench;

import dev.berth.testkit.registry.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * containerd 1.6 from Debian as the benchmark's peer: its own root, state and socket in a temporary
 * directory, the CRI plugin off, driven with ctr.
 */
final class ContainerdPeer implements AutoCloseable {

    static final Path CONTAINERD = Path.of("/usr/bin/containerd");
    static final Path CTR = Path.of("/usr/bin/ctr");
    private static final String NAMESPACE = "bench";

    private final Path dir;
    private final Process process;

    private ContainerdPeer(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    static boolean available() {
        return Files.isExecutable(CONTAINERD) && Files.isExecutable(CTR);
    }

    static ContainerdPeer start(Path parent) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(parent, "containerd-");
        Files.writeString(dir.resolve("config.toml"), """
                version = 2
                root = "%s"
                state = "%s"
                disabled_plugins = ["io.containerd.grpc.v1.cri"]
                [grpc]
                  address = "%s"
                """.formatted(
                        dir.resolve("root"), dir.resolve("state"), dir.resolve("containerd.sock")));
        Process process = new ProcessBuilder(
                        CONTAINERD.toString(),
                        "--config",
                        dir.resolve("config.toml").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("containerd.log").toFile())
                .start();
        ContainerdPeer peer = new ContainerdPeer(dir, process);
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            try {
                peer.ctr(List.of("version"), 5);
                return peer;
            } catch (IOException e) {
                if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                    String log = Files.exists(dir.resolve("containerd.log"))
                            ? Files.readString(dir.resolve("containerd.log"))
                            : "";
                    peer.close();
                    throw new IOException("containerd did not start: " + e.getMessage() + "\n" + log);
                }
                Thread.sleep(100);
            }
        }
    }

    String ctr(List<String> args, long timeoutSeconds) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(
                CTR.toString(), "--address", dir.resolve("containerd.sock").toString(), "-n", NAMESPACE));
        argv.addAll(args);
        return Processes.run(argv, timeoutSeconds);
    }

    void pull(String reference) throws IOException, InterruptedException {
        ctr(List.of("images", "pull", "--plain-http", reference), 300);
    }

    /** Removes the image and makes sure its content and snapshots are gone, so the next pull is cold. */
    void removeAndVerifyEmpty(String reference) throws IOException, InterruptedException {
        ctr(List.of("images", "rm", "--sync", reference), 120);
        String content = ctr(List.of("content", "ls", "-q"), 30).strip();
        String snapshots = ctr(List.of("snapshots", "ls"), 30).strip();
        if (!content.isEmpty() || snapshots.lines().count() > 1) {
            throw new IOException("containerd kept content after rm --sync: " + content + "\n" + snapshots);
        }
    }

    long rssKib() throws IOException {
        return Rss.ofPid(process.pid());
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            for (String mount : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String target = mount.split(" ")[1];
                if (target.startsWith(dir.toString())) {
                    Processes.run(List.of("umount", "-l", target), 10);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
