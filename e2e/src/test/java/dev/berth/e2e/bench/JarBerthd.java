package dev.berth.e2e.bench;

import dev.berth.e2e.operator.RepoPaths;
import dev.berth.testkit.cri.BerthdProcess;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * berthd exactly as {@code ./berth daemon} runs it: the shaded jar, the launcher's JVM flags and its AOT cache
 * (recorded by a first run that is stopped, as the launcher's first run records it), on its own root and state. A
 * start is timed from the exec to the first Version call its socket answers, with the JVM's CPU time at that
 * moment: what kubelet waits for after a node boots.
 */
final class JarBerthd implements AutoCloseable {

    private static final long START_TIMEOUT_MILLIS = 30_000;

    /** A served start: milliseconds from exec to the answered Version call, and CPU milliseconds spent by then. */
    record Start(double servedMillis, double cpuMillis) {}

    private final Process process;
    private final Path stateDir;
    private final Start start;

    private JarBerthd(Process process, Path stateDir, Start start) {
        this.process = process;
        this.stateDir = stateDir;
        this.start = start;
    }

    /** The shaded jar the reactor just packaged; fails with the build command when there is none. */
    static Path jar() throws IOException {
        Path target = RepoPaths.locate().root().resolve("cri-runtime/berthd/target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().matches("berthd-.*-all\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IOException("no berthd-*-all.jar in " + target
                            + "; build it: ./mvnw -B -q -DskipTests -pl cri-runtime/berthd -am package"));
        }
    }

    /**
     * Records the AOT cache {@code aot} as the launcher's first run does: berthd on throw-away directories, one
     * Version and one ListContainers call, then SIGTERM, on which the JVM writes the cache.
     */
    static void recordAotCache(Path aot, Path work, Path config) throws IOException, InterruptedException {
        Files.deleteIfExists(aot);
        try (JarBerthd training = start(List.of("-XX:AOTCacheOutput=" + aot), work, config)) {
            try (CriClient client = CriClient.connect(training.socket())) {
                client.listContainers();
            }
        }
        if (!Files.isRegularFile(aot)) {
            throw new IOException("the training run wrote no AOT cache " + aot);
        }
    }

    /** berthd with the launcher's flags plus {@code warmFlags}, on fresh directories below {@code work}. */
    static JarBerthd start(List<String> warmFlags, Path work, Path config) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(work, "jar-berthd-");
        Path stateDir = Files.createTempDirectory(Path.of("/run"), "berth-foot-");
        List<String> argv = new ArrayList<>();
        argv.add(ProcessHandle.current().info().command().orElseThrow());
        argv.addAll(BerthdProcess.LAUNCHER_JVM_FLAGS);
        argv.addAll(warmFlags);
        // -Dberth.bench.berthdExtraJvm="-XX:... ..." adds flags, to profile or to measure what one is worth
        String extra = System.getProperty("berth.bench.berthdExtraJvm");
        if (extra != null && !extra.isBlank()) {
            argv.addAll(List.of(extra.trim().split("\\s+")));
        }
        argv.addAll(List.of(
                "-jar",
                jar().toString(),
                "--config",
                config.toString(),
                "--root",
                dir.resolve("root").toString(),
                "--state",
                stateDir.toString()));
        Path socket = stateDir.resolve("berth.sock");
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("berthd.log").toFile());
        builder.environment().put("LC_ALL", "C.UTF-8");
        long exec = System.nanoTime();
        Process process = builder.start();
        while (true) {
            if (Files.exists(socket)) {
                // a fresh channel each try: one that saw the socket missing waits out gRPC's reconnect backoff
                try (CriClient client = CriClient.connect(socket)) {
                    client.version();
                    double served = (System.nanoTime() - exec) / 1e6;
                    double cpu = ProcessHandle.of(process.pid())
                            .flatMap(p -> p.info().totalCpuDuration())
                            .map(d -> d.toNanos() / 1e6)
                            .orElse(-1.0);
                    return new JarBerthd(process, stateDir, new Start(served, cpu));
                } catch (StatusRuntimeException e) {
                    // not serving yet
                }
            }
            if (!process.isAlive() || (System.nanoTime() - exec) / 1_000_000 > START_TIMEOUT_MILLIS) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IOException(
                        "berthd from the jar did not serve: " + Files.readString(dir.resolve("berthd.log")));
            }
            Thread.sleep(2);
        }
    }

    Start served() {
        return start;
    }

    Path socket() {
        return stateDir.resolve("berth.sock");
    }

    long pid() {
        return process.pid();
    }

    Path stateDir() {
        return stateDir;
    }

    /** The summed RSS of the conmons of this berthd's containers (they name its state dir on their command line). */
    long conmonsRssKib() {
        return Rss.sumOf(ProcessHandle.allProcesses()
                .filter(p -> HostCleanup.commandLine(p.pid()).startsWith("/usr/bin/conmon ")
                        && HostCleanup.commandLine(p.pid()).contains(stateDir.toString())));
    }

    /** SIGTERM and waits (a training run writes its AOT cache meanwhile); the state dir goes, the root stays for the bench's cleanup. */
    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        HostCleanup cleanup =
                new HostCleanup(new dev.berth.process.CommandRunner(Path.of(System.getProperty("java.io.tmpdir"))));
        cleanup.deleteRuncContainersBelow(stateDir);
        cleanup.killProcessesMentioning(stateDir.toString());
        cleanup.unmountBelow(stateDir);
        dev.berth.store.Directories.deleteRecursively(stateDir);
    }
}
