package dev.berth.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.metrics.CallDurations;
import dev.berth.process.CommandRunner;
import dev.berth.process.CommandRunner.CapturedResult;
import dev.berth.process.CommandRunner.Command;
import dev.berth.process.CommandRunner.CommandResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OCI runtime binary with runc's command line (runc, crun, ...) and its state root. Every call is a
 * short-lived process through {@link CommandRunner}; the long-lived parent of a container is conmon, see
 * {@link Conmon}.
 */
public final class OciRuntime implements ContainerRuntime {

    private static final Logger log = LoggerFactory.getLogger(OciRuntime.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PID_FILE_WAIT = Duration.ofSeconds(1);

    private final Path binary;
    private final Path root;
    private final CommandRunner runner;
    private final CallDurations durations;
    private final ObjectMapper json = new ObjectMapper();
    private final HostProcesses processes = new HostProcesses();
    private final RuntimeMessages messages = new RuntimeMessages();
    /** Probed on first use: the runtime binary does not change under a running berthd. */
    private volatile OciFeatures features;

    /**
     * @param root the runtime's {@code --root} state directory (berthd uses /run/berth/runc)
     * @param durations of each call, by its subcommand
     */
    public OciRuntime(Path binary, Path root, CommandRunner runner, CallDurations durations) {
        this.binary = binary;
        this.root = root;
        this.runner = runner;
        this.durations = durations;
    }

    @Override
    public Path binary() {
        return binary;
    }

    @Override
    public Path root() {
        return root;
    }

    /**
     * What {@code <runtime> features} reports, asked once. A runtime without the subcommand (runc before 1.1, others)
     * or with an answer berthd cannot read is taken to support no optional feature.
     */
    @Override
    public OciFeatures features() {
        OciFeatures known = features;
        if (known == null) {
            known = probeFeatures();
            features = known;
        }
        return known;
    }

    private OciFeatures probeFeatures() {
        try {
            CommandResult result = run("features", Command.of(CALL_TIMEOUT, List.of(binary.toString(), "features")));
            JsonNode options =
                    result.exitCode() == 0 ? json.readTree(result.stdout()).path("mountOptions") : null;
            if (options == null || !options.isArray()) {
                log.info("{} reports no features (exit {}); optional features stay off", binary, result.exitCode());
                return OciFeatures.NONE;
            }
            Set<String> names = new HashSet<>();
            options.forEach(option -> names.add(option.asText()));
            return new OciFeatures(names);
        } catch (IOException e) {
            log.warn("{} features failed; optional features stay off: {}", binary, e.getMessage());
            return OciFeatures.NONE;
        }
    }

    /** Empty when the runtime does not know the container (never created, or deleted). */
    @Override
    public Optional<RuntimeState> state(String id) throws IOException {
        CommandResult result = run("state", command("state", id));
        if (result.exitCode() != 0) {
            if (unknown(id, result)) {
                return Optional.empty();
            }
            throw failure("state", id, result);
        }
        return Optional.of(parseState(json.readTree(result.stdout())));
    }

    @Override
    public void start(String id) throws IOException {
        CommandResult result = run("start", command("start", id));
        if (result.exitCode() != 0) {
            throw failure("start", id, result);
        }
        log.debug("container {}: started", id);
    }

    /** Signals the container's init ({@code all}: every process in it). Stopped or unknown is not an error. */
    @Override
    public void kill(String id, int signal, boolean all) throws IOException {
        List<String> args = new ArrayList<>(List.of("kill"));
        if (all) {
            args.add("--all");
        }
        args.add(id);
        args.add(Integer.toString(signal));
        CommandResult result = run("kill", command(args));
        if (result.exitCode() != 0) {
            // runc refuses to signal a stopped container; for the caller that is a container already down
            Optional<RuntimeState> state = state(id);
            if (state.isEmpty() || state.get().isStopped()) {
                log.debug(
                        "container {}: kill {} ignored, container already {}",
                        id,
                        signal,
                        state.map(RuntimeState::status).orElse("gone"));
                return;
            }
            throw failure("kill", id, result);
        }
        log.debug("container {}: sent signal {}{}", id, signal, all ? " to all processes" : "");
    }

    /** Removes the runtime's record of the container ({@code force}: killing it first). Unknown is not an error. */
    @Override
    public void delete(String id, boolean force) throws IOException {
        List<String> args = new ArrayList<>(List.of("delete"));
        if (force) {
            args.add("--force");
        }
        args.add(id);
        CommandResult result = run("delete", command(args));
        if (result.exitCode() != 0) {
            if (unknown(id, result) || state(id).isEmpty()) {
                return;
            }
            throw failure("delete", id, result);
        }
        log.debug("container {}: deleted from runtime", id);
    }

    /** {@code runc update --resources -}: the JSON is an OCI {@code linux.resources} object. */
    @Override
    public void update(String id, byte[] resourcesJson) throws IOException {
        CommandResult result =
                run("update", command("update", "--resources", "-", id).withStdin(resourcesJson));
        if (result.exitCode() != 0) {
            OciRuntimeException failure = failure("update", id, result);
            throw new OciRuntimeException(RuntimeMessages.kindOfUpdate(failure.getMessage()), failure.getMessage());
        }
        log.debug("container {}: resources updated", id);
    }

    @Override
    public List<RuntimeState> list() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        CommandResult result = run("list", command("list", "--format", "json"));
        if (result.exitCode() != 0) {
            throw failure("list", "*", result);
        }
        JsonNode array = json.readTree(result.stdout());
        List<RuntimeState> states = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(node -> states.add(parseState(node)));
        }
        return List.copyOf(states);
    }

    /**
     * Runs {@code argv} inside the running container without a terminal and waits for it; output is read as bytes,
     * at most {@code outputLimit} bytes of each stream kept. At the deadline the exec'd process and what it started
     * are killed first, then {@code runc exec} if it still runs: killing {@code runc exec} alone would leave the
     * process running in the container.
     */
    @Override
    public ExecResult exec(String id, List<String> argv, Duration timeout, int outputLimit) throws IOException {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("exec in " + id + " needs a command");
        }
        RuntimeState state =
                state(id).orElseThrow(() -> new OciRuntimeException("container " + id + " does not exist"));
        if (!state.isRunning()) {
            throw new OciRuntimeException("cannot exec in container " + id + ": it is " + state.status());
        }
        Path pidFile = runner.scratchFile("exec-", ".pid");
        try {
            List<String> args = new ArrayList<>(List.of("exec", "--pid-file", pidFile.toString(), id));
            args.addAll(argv);
            long started = System.nanoTime();
            CapturedResult result;
            try {
                result = runner.runCapturing(
                        Command.of(timeout, argv(this, args)), outputLimit, runcPid -> killExecProcess(id, pidFile));
            } finally {
                durations.since(started, "exec");
            }
            if (result.timedOut()) {
                log.info("container {}: exec {} timed out after {} ms", id, argv.getFirst(), timeout.toMillis());
                return new ExecResult(-1, result.stdout(), result.stderr(), true);
            }
            if (result.truncated()) {
                log.info(
                        "container {}: exec {} wrote more than {} bytes to a stream; the rest was dropped",
                        id,
                        argv.getFirst(),
                        outputLimit);
            }
            return new ExecResult(result.exitCode(), result.stdout(), result.stderr(), false);
        } finally {
            Files.deleteIfExists(pidFile);
        }
    }

    private void killExecProcess(String id, Path pidFile) throws IOException {
        // runc writes the pid file once the process runs; a deadline that came first waits for it a moment
        long deadline = System.nanoTime() + PID_FILE_WAIT.toNanos();
        String pid = "";
        while (pid.isEmpty() && System.nanoTime() < deadline) {
            pid = Files.exists(pidFile) ? Files.readString(pidFile).strip() : "";
            if (pid.isEmpty()) {
                HostProcesses.pause(Duration.ofMillis(5));
            }
        }
        if (pid.isEmpty()) {
            log.warn("container {}: timed-out exec left no pid file; its process may still run", id);
            return;
        }
        if (!processes.killTreeAndWait(Integer.parseInt(pid), Duration.ofSeconds(5))) {
            log.warn("container {}: timed-out exec process {} did not die after SIGKILL", id, pid);
        }
    }

    private boolean unknown(String id, CommandResult result) {
        // runc says "container does not exist"; other runtimes word it differently, but all keep a dir per id
        return result.stderr().contains("does not exist") || !Files.exists(root.resolve(id));
    }

    private RuntimeState parseState(JsonNode node) {
        String bundle = node.path("bundle").asText("");
        return new RuntimeState(
                node.path("id").asText(),
                node.path("pid").asInt(0),
                node.path("status").asText(),
                bundle.isEmpty() ? null : Path.of(bundle));
    }

    private OciRuntimeException failure(String verb, String id, CommandResult result) {
        String text = result.stderr().isBlank() ? result.stdout() : result.stderr();
        return new OciRuntimeException(binary.getFileName() + " " + verb + " " + id + " failed (exit "
                + result.exitCode() + "): " + messages.readable(text));
    }

    private CommandResult run(String verb, Command command) throws IOException {
        long started = System.nanoTime();
        try {
            return runner.run(command);
        } finally {
            durations.since(started, verb);
        }
    }

    private Command command(String... args) {
        return command(List.of(args));
    }

    private Command command(List<String> args) {
        return Command.of(CALL_TIMEOUT, argv(this, args));
    }

    /** A command line of {@code runtime}: its binary, its state root, then {@code args}. */
    static List<String> argv(ContainerRuntime runtime, List<String> args) {
        return Stream.concat(
                        Stream.of(
                                runtime.binary().toString(),
                                "--root",
                                runtime.root().toString()),
                        args.stream())
                .toList();
    }
}
