package dev.berth.e2e.bench;

import dev.berth.process.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * buildah (Debian's 1.28) for the build benchmark, on storage of its own: --root under the bench's directory,
 * --runroot on /run, the overlay driver (berthd's own choice) and cgroupfs, runc as the OCI runtime, layer caching
 * on ({@code --layers}: buildah's default is off), the base pulled from the local registry over plain HTTP.
 * Closing it removes its containers and images, then unmounts what is left.
 */
final class Buildah implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/bin/buildah");
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private final CommandRunner commands;
    private final Path root;
    private final Path runroot;

    private Buildah(CommandRunner commands, Path root, Path runroot) {
        this.commands = commands;
        this.root = root;
        this.runroot = runroot;
    }

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** A buildah with empty storage: nothing pulled, nothing cached. */
    static Buildah fresh(CommandRunner commands, Path parent) throws IOException {
        Path root = Files.createTempDirectory(parent, "buildah-");
        // podman's rule holds for buildah's storage too: a short runroot, on tmpfs
        return new Buildah(commands, root, Files.createTempDirectory(Path.of("/run"), "berth-buildah-"));
    }

    /** {@code buildah bud} of {@code dockerfile} in {@code context} tagged {@code tag}; its wall and CPU time. */
    TimedCommand.Timing build(Path dockerfile, Path context, String tag) throws IOException {
        List<String> argv = new ArrayList<>(global());
        argv.addAll(List.of(
                "bud",
                "--layers",
                "--tls-verify=false",
                "--network",
                "none",
                "--isolation",
                "oci",
                "--runtime",
                "runc",
                "-q",
                "-t",
                tag,
                "-f",
                dockerfile.toString(),
                context.toString()));
        return new TimedCommand(commands, TIMEOUT, Map.of()).run(argv);
    }

    private List<String> global() {
        return List.of(
                BINARY.toString(),
                "--root",
                root.toString(),
                "--runroot",
                runroot.toString(),
                "--storage-driver",
                "overlay",
                "--cgroup-manager",
                "cgroupfs");
    }

    private void run(String... args) throws IOException {
        List<String> argv = new ArrayList<>(global());
        argv.addAll(List.of(args));
        commands.runChecked(CommandRunner.Command.of(TIMEOUT, argv));
    }

    @Override
    public void close() throws IOException {
        try {
            run("rm", "--all");
            run("rmi", "--all", "--force");
        } finally {
            HostCleanup cleanup = new HostCleanup(commands);
            for (Path tree : List.of(runroot, root)) {
                cleanup.killProcessesMentioning(tree.toString());
                cleanup.unmountBelow(tree);
            }
            dev.berth.store.Directories.deleteRecursively(runroot);
            dev.berth.store.Directories.deleteRecursively(root);
        }
    }
}
