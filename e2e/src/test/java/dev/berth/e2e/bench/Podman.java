package dev.berth.e2e.bench;

import dev.berth.process.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * podman (Debian's 4.3) for a comparison, on storage of its own under the bench's directory: its --root, --runroot,
 * its own tmpdir and network config dir (netavark's default, /etc/containers/networks, stays untouched), runc, cgroupfs and file events, and the local registry reached over plain HTTP, so it reads and
 * leaves nothing of the host's podman. Closing it removes its containers and images, then unmounts what is left.
 * Its runs get small nofile and nproc limits: podman's defaults (2^20 files, 2^22 processes) are above what this
 * host lets runc set, and runc create then fails EPERM.
 */
final class Podman implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final Path BINARY = Path.of("/usr/bin/podman");
    /** netavark's run dir, which podman makes whatever its other dirs are. */
    private static final Path NETAVARK_RUN = Path.of("/run/containers");

    private final CommandRunner commands;
    private final Path dir;
    private final Path runroot;
    private final boolean madeNetavarkRun;

    private Podman(CommandRunner commands, Path dir, Path runroot) {
        this.commands = commands;
        this.dir = dir;
        this.runroot = runroot;
        this.madeNetavarkRun = !Files.exists(NETAVARK_RUN);
    }

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    static Podman start(CommandRunner commands, Path parent) throws IOException {
        Path dir = Files.createDirectories(parent.resolve("podman"));
        Files.createDirectories(dir.resolve("tmp"));
        Files.createDirectories(dir.resolve("networks"));
        // podman refuses a runroot over 50 characters; its state belongs on tmpfs anyway, as /run/containers
        return new Podman(commands, dir, Files.createTempDirectory(Path.of("/run"), "berth-podman-"));
    }

    String run(String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of(
                BINARY.toString(),
                "--root",
                dir.resolve("root").toString(),
                "--runroot",
                runroot.toString(),
                "--tmpdir",
                dir.resolve("tmp").toString(),
                "--network-config-dir",
                dir.resolve("networks").toString(),
                "--runtime",
                "runc",
                "--cgroup-manager",
                "cgroupfs",
                "--events-backend",
                "file",
                "--storage-driver",
                "overlay"));
        argv.addAll(List.of(args));
        return commands.runChecked(CommandRunner.Command.of(TIMEOUT, argv)).stdout();
    }

    /** {@code podman run --rm IMAGE ARGS...}, its wall time in milliseconds. */
    double timedRun(String image, String... args) throws IOException {
        List<String> argv = new ArrayList<>(
                List.of("run", "--rm", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024", image));
        argv.addAll(List.of(args));
        long started = System.nanoTime();
        run(argv.toArray(String[]::new));
        return (System.nanoTime() - started) / 1e6;
    }

    @Override
    public void close() throws IOException {
        try {
            run("rm", "--all", "--force");
            run("rmi", "--all", "--force");
        } finally {
            HostCleanup cleanup = new HostCleanup(commands);
            for (Path tree : List.of(runroot, dir)) {
                cleanup.killProcessesMentioning(tree.toString());
                cleanup.unmountBelow(tree);
            }
            dev.berth.store.Directories.deleteRecursively(runroot);
            if (madeNetavarkRun) {
                dev.berth.store.Directories.deleteRecursively(NETAVARK_RUN);
            }
        }
    }
}
