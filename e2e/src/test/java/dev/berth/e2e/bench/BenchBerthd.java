package dev.berth.e2e.bench;

import dev.berth.cri.v1.ImageServiceGrpc;
import dev.berth.testkit.cri.BerthdProcess;
import dev.berth.testkit.network.TestBridge;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * berthd in its own JVM with the launcher's flags (a {@link BerthdProcess}), laid out as on a node: its
 * records and snapshots in a temporary directory on disk (as /var/lib/berth), its state (socket, runc root,
 * bundles, netns pins) on tmpfs under /run (as /run/berth), its pods on the bench's own CNI network. Its
 * timing lines (DEBUG) go to its log, which {@link #phaseLines} reads back; closing it removes whatever a
 * failed run left on the host.
 */
public final class BenchBerthd implements AutoCloseable {
    /** The classes that log a DEBUG line of phase timings per pod start step. */
    private static final List<String> TIMED = List.of(
            "dev.berth.sandbox.SandboxService",
            "dev.berth.container.ContainerCreator",
            "dev.berth.container.ContainerService",
            "dev.berth.container.ContainerTeardown",
            "dev.berth.sandbox.SandboxRemoval",
            "dev.berth.sandbox.SandboxTeardown",
            "dev.berth.runtime.Conmon",
            "dev.berth.runtime.RuntimeExec",
            "dev.berth.streaming.spdy.RemoteCommandSession");

    /** The embedded default network's bridge and subnet when no network is given; removed by {@link #close}. */
    static final String DEFAULT_BRIDGE = "berthdefb0";

    static final String DEFAULT_SUBNET = "10.192.0.0/24";

    private final Path dir;
    private final boolean embeddedNetwork;
    private final Path stateDir;
    private final BerthdProcess process;

    private BenchBerthd(Path dir, Path stateDir, boolean embeddedNetwork, BerthdProcess process) {
        this.dir = dir;
        this.embeddedNetwork = embeddedNetwork;
        this.stateDir = stateDir;
        this.process = process;
    }

    /**
     * berthd with the embedded default network, as a node without a CNI conflist has it (the in-process netlink
     * wiring), on a bridge and subnet of its own: the host's /etc/cni/net.d is not read (podman's package puts its
     * conflist there, which would have made this the CNI path, and berth0's default subnet is podman's too). For
     * the pull, build and CLI benchmarks and pre-pull e2e.
     */
    public static BenchBerthd start(Path parent) throws IOException, InterruptedException {
        return start(parent, null);
    }

    /** berthd whose pods join {@code network} (its conflist dir and plugins), or the embedded default if null. */
    static BenchBerthd start(Path parent, BenchNetwork network) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(parent, "berthd-");
        Path stateDir = Files.createTempDirectory(Path.of("/run"), "berth-bench-");
        // the phase timings are debug lines of the timed classes
        StringBuilder yaml = new StringBuilder("log:\n  loggers:\n");
        TIMED.forEach(logger -> yaml.append("    ").append(logger).append(": debug\n"));
        if (network != null) {
            yaml.append("""
                    network:
                      confDir: %s
                      pluginDirs: [%s]
                    """.formatted(network.confDir(), network.binDir()));
        } else {
            yaml.append("""
                    network:
                      confDir: %s
                      bridge: %s
                      subnet: %s
                    """.formatted(Files.createDirectories(dir.resolve("no-cni")), DEFAULT_BRIDGE, DEFAULT_SUBNET));
        }
        Files.writeString(dir.resolve("berth.yaml"), yaml);
        try {
            return new BenchBerthd(dir, stateDir, network == null, launch(dir, stateDir));
        } catch (IOException | RuntimeException e) {
            dev.berth.store.Directories.deleteRecursively(stateDir);
            throw e;
        }
    }

    private static BerthdProcess launch(Path dir, Path stateDir) throws IOException, InterruptedException {
        // -Dberth.bench.berthdJvm="-XX:... ..." replaces the flags, to measure what each one is worth
        String flags = System.getProperty("berth.bench.berthdJvm");
        List<String> jvm = new ArrayList<>(
                flags == null
                        ? BerthdProcess.LAUNCHER_JVM_FLAGS
                        : List.of(flags.trim().split("\\s+")));
        return BerthdProcess.start(
                jvm, dir.resolve("berth.yaml"), dir.resolve("root"), stateDir, dir.resolve("berthd.log"));
    }

    /** SIGKILL, as a crash; the directories stay, for {@link #startAgain}. */
    void kill() throws InterruptedException {
        process.kill();
    }

    /**
     * berthd again on this one's root and state, once it was {@link #kill}ed; returns when its socket exists. The
     * new one owns the directories from then on (close it, not this one).
     */
    BenchBerthd startAgain() throws IOException, InterruptedException {
        return new BenchBerthd(dir, stateDir, embeddedNetwork, launch(dir, stateDir));
    }

    dev.berth.cri.v1.RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime() {
        return process.runtime();
    }

    String log() {
        return process.log();
    }

    /** The DEBUG lines with phase timings that berthd logged so far. */
    List<String> phaseLines() throws IOException {
        try (var lines = Files.lines(dir.resolve("berthd.log"))) {
            return lines.filter(l -> l.contains(" phases ms: ")).toList();
        }
    }

    /** The summed RSS of the conmons of this berthd's containers (they name its state dir on their command line). */
    long conmonsRssKib() {
        return Rss.sumOf(ProcessHandle.allProcesses()
                .filter(p -> HostCleanup.commandLine(p.pid()).startsWith("/usr/bin/conmon ")
                        && HostCleanup.commandLine(p.pid()).contains(stateDir.toString())));
    }

    public ImageServiceGrpc.ImageServiceBlockingStub images() {
        return process.images();
    }

    /** Its CRI socket, for a client of one's own (the pod benchmark's {@link CriClient}). */
    public Path socket() {
        return process.socket();
    }

    Path root() {
        return dir.resolve("root");
    }

    /** Where its records and its state live; whatever mentions either after its pods are gone is a leak. */
    List<Path> trees() {
        return List.of(dir, stateDir);
    }

    /** The runc root berthd runs its containers under, for a {@code runc exec} of its own. */
    Path runcRoot() {
        return stateDir.resolve("runc");
    }

    long pid() {
        return process.pid();
    }

    long rssKib() throws IOException {
        return Rss.ofPid(process.pid());
    }

    @Override
    public void close() throws IOException {
        try {
            process.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // -Dberth.bench.berthdLog=FILE keeps berthd's log, which goes with its directory below
        String keep = System.getProperty("berth.bench.berthdLog");
        if (keep != null && Files.exists(dir.resolve("berthd.log"))) {
            Files.copy(dir.resolve("berthd.log"), Path.of(keep), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        // What a failed run leaves (containers, conmons, rootfs and netns mounts) must go before the files.
        HostCleanup cleanup =
                new HostCleanup(new dev.berth.process.CommandRunner(Path.of(System.getProperty("java.io.tmpdir"))));
        for (Path tree : List.of(stateDir, dir)) {
            cleanup.deleteRuncContainersBelow(tree);
            cleanup.killProcessesMentioning(tree.toString());
            cleanup.unmountBelow(tree);
        }
        dev.berth.store.Directories.deleteRecursively(stateDir);
        dev.berth.store.Directories.deleteRecursively(dir);
        if (embeddedNetwork) {
            // node state to berthd, which keeps both for the next start; this bridge is the bench's alone
            new TestBridge(DEFAULT_BRIDGE).delete();
        }
    }
}
