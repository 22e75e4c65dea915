package dev.berth.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.process.CommandRunner;
import dev.berth.process.CommandRunner.Command;
import dev.berth.process.CommandRunner.CommandResult;
import dev.berth.process.CommandTimeoutException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OCI runtime binary with runc's command line (runc, crun, ...) and its state root. Every call is a
 * short-lived process through {@link CommandRunner}; the long-lived parent of a container is conmon, see
 * {@link Conmon}.
 */
public final class OciRuntime {

    private static final Logger log = LoggerFactory.getLogger(OciRuntime.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final Path binary;
    private final Path root;
    private final CommandRunner runner;
    private final ObjectMapper json = new ObjectMapper();
    private final HostProcesses processes = new HostProcesses();
    private final RuntimeMessages messages = new RuntimeMessages();

    /** @param root the runtime's {@code --root} state directory (berthd uses /run/berth/runc) */
    public OciRuntime(Path binary, Path root, CommandRunner runner) {
        this.binary = binary;
        this.root = root;
        this.runner = runner;
    }

    public Path binary() {
        return binary;
    }

    public Path root() {
        return root;
    }

    /** Empty when the runtime does not know the container (never created, or deleted). */
    public Optional<RuntimeState> state(String id) throws IOException {
        CommandResult result = runner.run(command("state", id));
        if (result.exitCode() != 0) {
            if (unknown(id, result)) {
                return Optional.empty();
            }
            throw failure("state", id, result);
        }
        return Optional.of(parseState(json.readTree(result.stdout())));
    }

    public void start(String id) throws IOException {
        CommandResult result = runner.run(command("start", id));
        if (result.exitCode() != 0) {
            throw failure("start", id, result);
        }
        log.debug("container {}: started", id);
    }

    /** Signals the container's init ({@code all}: every process in it). Stopped or unknown is not an error. */
    public void kill(String id, int signal, boolean all) throws IOException {
        List<String> args = new ArrayList<>(List.of("kill"));
        if (all) {
            args.add("--all");
        }
        args.add(id);
        args.add(Integer.toString(signal));
        CommandResult result = runner.run(command(args));
        if (result.exitCode() != 0) {
            // runc refuses to signal a stopped container; for the caller that is a container already down
            Optional<RuntimeState> state = state(id);
            if (state.isEmpty() || state.get().isStopped()) {
                log.debug("container {}: kill {} ignored, container already {}", id, signal,
                        state.map(RuntimeState::status).orElse("gone"));
                return;
            }
            throw failure("kill", id, result);
        }
        log.debug("container {}: sent signal {}{}", id, signal, all ? " to all processes" : "");
    }

    /** Removes the runtime's record of the container ({@code force}: killing it first). Unknown is not an error. */
    public void delete(String id, boolean force) throws IOException {
        List<String> args = new ArrayList<>(List.of("delete"));
        if (force) {
            args.add("--force");
        }
        args.add(id);
        CommandResult result = runner.run(command(args));
        if (result.exitCode() != 0) {
            if (unknown(id, result) || state(id).isEmpty()) {
                return;
            }
            throw failure("delete", id, result);
        }
        log.debug("container {}: deleted from runtime", id);
    }

    /** {@code runc update --resources -}: the JSON is an OCI {@code linux.resources} object. */
    public void update(String id, byte[] resourcesJson) throws IOException {
        CommandResult result = runner.run(command("update", "--resources", "-", id).withStdin(resourcesJson));
        if (result.exitCode() != 0) {
            throw failure("update", id, result);
        }
        log.debug("container {}: resources updated", id);
    }

    public List<RuntimeState> list() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        CommandResult result = runner.run(command("list", "--format", "json"));
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
     * Runs {@code argv} inside the running container without a terminal and waits for it. On timeout the
     * exec'd process itself is killed too: killing {@code runc exec} alone would leave it running in the
     * container.
     */
    public ExecResult exec(String id, List<String> argv, Duration timeout) throws IOException {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("exec in " + id + " needs a command");
        }
        RuntimeState state = state(id).orElseThrow(() -> new OciRuntimeException("container " + id + " does not exist"));
        if (!state.isRunning()) {
            throw new OciRuntimeException("cannot exec in container " + id + ": it is " + state.status());
        }
        Path pidFile = Files.createTempFile("berth-exec-", ".pid");
        try {
            List<String> args = new ArrayList<>(List.of("exec", "--pid-file", pidFile.toString(), id));
            args.addAll(argv);
            CommandResult result;
            try {
                result = runner.run(Command.of(timeout, runtimeArgv(args)));
            } catch (CommandTimeoutException e) {
                killExecProcess(id, pidFile);
                log.info("container {}: exec {} timed out after {} ms", id, argv.getFirst(), timeout.toMillis());
                return new ExecResult(-1, new byte[0], new byte[0], true);
            }
            // CommandRunner hands back text; exec output is text in practice (probes, crictl exec)
            return new ExecResult(result.exitCode(), result.stdout().getBytes(StandardCharsets.UTF_8),
                    result.stderr().getBytes(StandardCharsets.UTF_8), false);
        } finally {
            Files.deleteIfExists(pidFile);
        }
    }

    private void killExecProcess(String id, Path pidFile) throws IOException {
        String pid = Files.exists(pidFile) ? Files.readString(pidFile).strip() : "";
        if (pid.isEmpty()) {
            log.warn("container {}: timed-out exec left no pid file; its process may still run", id);
            return;
        }
        if (!processes.killAndWait(Integer.parseInt(pid), Duration.ofSeconds(5))) {
            log.warn("container {}: timed-out exec process {} did not die after SIGKILL", id, pid);
        }
    }

    private boolean unknown(String id, CommandResult result) {
        // runc says "container does not exist"; other runtimes word it differently, but all keep a dir per id
        return result.stderr().contains("does not exist") || !Files.exists(root.resolve(id));
    }

    private RuntimeState parseState(JsonNode node) {
        String bundle = node.path("bundle").asText("");
        return new RuntimeState(node.path("id").asText(), node.path("pid").asInt(0), node.path("status").asText(),
                bundle.isEmpty() ? null : Path.of(bundle));
    }

    private OciRuntimeException failure(String verb, String id, CommandResult result) {
        String text = result.stderr().isBlank() ? result.stdout() : result.stderr();
        return new OciRuntimeException(binary.getFileName() + " " + verb + " " + id + " failed (exit " + result.exitCode()
                + "): " + messages.readable(text));
    }

    private Command command(String... args) {
        return command(List.of(args));
    }

    private Command command(List<String> args) {
        return Command.of(CALL_TIMEOUT, runtimeArgv(args));
    }

    List<String> runtimeArgv(List<String> args) {
        return Stream.concat(Stream.of(binary.toString(), "--root", root.toString()), args.stream()).toList();
    }
}
