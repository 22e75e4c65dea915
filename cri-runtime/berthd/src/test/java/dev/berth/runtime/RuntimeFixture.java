package dev.berth.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.metrics.CallDurations;
import dev.berth.process.CommandRunner;
import dev.berth.process.CommandRunner.Command;
import dev.berth.testing.HostCgroups;
import dev.berth.testkit.Privileges;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Real runc and conmon over busybox bundles, all under one temp dir, with a runc root and a cgroup parent of
 * its own; {@link #close()} removes every container, conmon, cgroup and file it made, even after a failure.
 */
final class RuntimeFixture implements AutoCloseable {

    static final Path RUNC = Path.of("/usr/sbin/runc");
    static final Path CONMON = Path.of("/usr/bin/conmon");
    private static final Path BUSYBOX = Path.of("/bin/busybox");

    final Path base;
    final String cgroupParent;
    final CommandRunner runner;
    final OciRuntime runtime;
    final Conmon conmon;
    final ExitFiles exitFiles;
    private final ObjectMapper json = new ObjectMapper();
    private final List<Integer> conmonPids = new ArrayList<>();

    /** Skips (or fails in CI) without root, runc or conmon. */
    static RuntimeFixture start() throws IOException {
        Privileges.requireRoot();
        Privileges.require(
                Files.isExecutable(RUNC) && Files.isExecutable(CONMON),
                "runc or conmon is not installed (apt-get install runc conmon)");
        return new RuntimeFixture();
    }

    private RuntimeFixture() throws IOException {
        base = Files.createTempDirectory("berth-rt-");
        cgroupParent = "/berth-test-" + UUID.randomUUID().toString().substring(0, 8);
        runner = new CommandRunner(base.resolve("scratch"));
        runtime = new OciRuntime(RUNC, base.resolve("runc"), runner, CallDurations.NONE);
        conmon = new Conmon(CONMON, runner, CallDurations.NONE);
        exitFiles = new ExitFiles(exitDir());
    }

    Path exitDir() {
        return base.resolve("exits");
    }

    Path persistDir(String id) {
        return base.resolve("containers").resolve(id);
    }

    /** The kubelet's pod log dir does not exist yet: conmon's launcher must create it. */
    Path logPath(String id) {
        return base.resolve("logs").resolve("pod-" + id).resolve(id + ".log");
    }

    String cgroupPath(String id) {
        return cgroupParent + "/" + id;
    }

    /** A bundle whose rootfs has only static busybox and its applets; config.json is {@code runc spec}'s, edited. */
    Path bundle(String id, List<String> args, boolean tty) throws IOException {
        Path bundle = base.resolve("bundles").resolve(id);
        Path bin = bundle.resolve("rootfs/bin");
        Files.createDirectories(bin);
        Files.copy(BUSYBOX, bin.resolve("busybox"));
        for (String applet : List.of("sh", "echo", "sleep", "cat", "head", "true")) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        runner.runChecked(
                Command.of(Duration.ofSeconds(10), List.of(RUNC.toString(), "spec", "--bundle", bundle.toString())));
        ObjectNode spec =
                (ObjectNode) json.readTree(bundle.resolve("config.json").toFile());
        ObjectNode process = (ObjectNode) spec.get("process");
        ArrayNode argv = process.putArray("args");
        args.forEach(argv::add);
        process.put("terminal", tty);
        ((ObjectNode) spec.get("root")).put("path", bundle.resolve("rootfs").toString());
        ((ObjectNode) spec.get("linux")).put("cgroupsPath", cgroupPath(id));
        json.writerWithDefaultPrettyPrinter()
                .writeValue(bundle.resolve("config.json").toFile(), spec);
        return bundle;
    }

    void editSpec(Path bundle, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        ObjectNode spec =
                (ObjectNode) json.readTree(bundle.resolve("config.json").toFile());
        edit.accept(spec);
        json.writeValue(bundle.resolve("config.json").toFile(), spec);
    }

    ConmonLaunch launch(String id, Path bundle, boolean tty) {
        return new ConmonLaunch(
                id,
                "name-" + id,
                bundle,
                logPath(id),
                exitDir(),
                persistDir(id),
                base.resolve("sock"),
                tty,
                false,
                false,
                Duration.ofSeconds(20));
    }

    ConmonStarted create(String id, List<String> args) throws IOException {
        return track(conmon.create(launch(id, bundle(id, args, false), false), runtime));
    }

    ConmonStarted track(ConmonStarted started) {
        conmonPids.add(started.conmonPid());
        return started;
    }

    /** Waits for conmon's exit file, which appears once the container's init has exited and its output is logged. */
    int awaitExit(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            OptionalInt code = exitFiles.exitCode(id);
            if (code.isPresent()) {
                return code.getAsInt();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("container " + id + " left no exit file in " + exitDir());
    }

    /** Live (non-zombie) conmon processes started for this container id, found by their command line. */
    List<Integer> liveConmons(String id) throws IOException {
        HostProcesses processes = new HostProcesses();
        List<Integer> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .toList()) {
                String cmdline;
                try {
                    cmdline = Files.readString(proc.resolve("cmdline"), StandardCharsets.ISO_8859_1);
                } catch (IOException gone) {
                    continue;
                }
                int pid = Integer.parseInt(proc.getFileName().toString());
                if (cmdline.startsWith(CONMON + "\0")
                        && cmdline.contains("\0-c\0" + id + "\0")
                        && processes.alive(pid)) {
                    found.add(pid);
                }
            }
        }
        return found;
    }

    @Override
    public void close() throws Exception {
        List<Throwable> problems = new ArrayList<>();
        try {
            for (RuntimeState state : runtime.list()) {
                runtime.delete(state.id(), true);
            }
        } catch (Exception e) {
            problems.add(e);
        }
        HostProcesses processes = new HostProcesses();
        for (int pid : conmonPids) {
            if (processes.executable(pid).map(p -> p.equals(CONMON)).orElse(false)) {
                processes.killAndWait(pid, Duration.ofSeconds(5));
            }
        }
        try {
            removeCgroups();
        } catch (Exception e) {
            problems.add(e);
        }
        try (Stream<Path> tree = Files.walk(base)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
        if (!problems.isEmpty()) {
            AssertionError error = new AssertionError("fixture cleanup failed");
            problems.forEach(error::addSuppressed);
            throw error;
        }
    }

    /** runc delete removes a container's own cgroups but not the parent it created above them. */
    private void removeCgroups() throws IOException {
        for (Path parent : HostCgroups.detect().everywhere(cgroupParent)) {
            if (!Files.isDirectory(parent)) {
                continue;
            }
            try (Stream<Path> tree = Files.walk(parent)) {
                for (Path dir : tree.filter(Files::isDirectory)
                        .sorted(Comparator.reverseOrder())
                        .toList()) {
                    Files.deleteIfExists(dir);
                }
            }
        }
    }
}
