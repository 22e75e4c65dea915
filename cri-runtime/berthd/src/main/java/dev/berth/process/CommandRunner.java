package dev.berth.process;

import dev.berth.store.Directories;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external program (runc, conmon, a CNI plugin) to completion with a deadline. Output goes to
 * temporary files rather than pipes, so a chatty program can never block on a full pipe and its stderr
 * is kept whole for the error message. The one place berthd starts a short-lived process.
 */
public final class CommandRunner {

    /** How long a program gets to exit by itself once its {@link TimeoutHook} has run. */
    private static final Duration KILL_GRACE = Duration.ofSeconds(2);
    /** How long output is still read once the program has exited. */
    public static final Duration DRAIN_GRACE = Duration.ofSeconds(1);

    private final Path scratchDir;

    /** @param scratchDir where output files live while a command runs (on tmpfs under the state dir) */
    public CommandRunner(Path scratchDir) {
        this.scratchDir = scratchDir;
    }

    public CommandResult run(Command command) throws IOException {
        Path stdout = scratchFile("out-", ".log");
        Path stderr = scratchFile("err-", ".log");
        try {
            ProcessBuilder builder =
                    builder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            Process process = builder.start();
            writeStdin(command, process);
            if (!process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                throw new CommandTimeoutException(
                        command,
                        Files.readString(stderr, StandardCharsets.UTF_8).strip());
            }
            return new CommandResult(
                    command,
                    process.exitValue(),
                    Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.name(), e);
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    /**
     * A new 0600 file in the scratch dir for a caller's own short-lived file (a pid file); the caller deletes it,
     * and berthd's start-up sweeps what a killed berthd left.
     */
    public Path scratchFile(String prefix, String suffix) throws IOException {
        Directories.createPrivate(scratchDir);
        return Files.createTempFile(scratchDir, prefix, suffix);
    }

    /**
     * Runs it with its output read as bytes through pipes, at most {@code limitPerStream} bytes of each stream
     * kept and the rest read and dropped, so a flood of output neither blocks the program nor fills memory or
     * disk. At the deadline {@code onTimeout} runs first (to end what the program started), then the program is
     * killed; the result then says {@code timedOut}. Output still open once the program has gone (a background
     * child holding the pipe) is read for {@link #DRAIN_GRACE} more, then returned as read so far.
     */
    public CapturedResult runCapturing(Command command, int limitPerStream, TimeoutHook onTimeout) throws IOException {
        Process process = builder(command).start();
        StreamCapture out = StreamCapture.start(process.getInputStream(), limitPerStream);
        StreamCapture err = StreamCapture.start(process.getErrorStream(), limitPerStream);
        try {
            writeStdin(command, process);
            boolean finished = process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                try {
                    onTimeout.timedOut(process.pid());
                } finally {
                    if (!process.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                        process.destroyForcibly();
                        process.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                    }
                }
            }
            long drainUntil = System.nanoTime() + DRAIN_GRACE.toNanos();
            return new CapturedResult(
                    command,
                    finished ? process.exitValue() : -1,
                    out.await(drainUntil),
                    err.await(drainUntil),
                    !finished,
                    out.truncated() || err.truncated());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while running " + command.name(), e);
        }
    }

    /**
     * Runs it with each chunk of its stdout and stderr handed to {@code sink} as it comes (from reader threads), for
     * a long program whose output a client watches (a build's RUN). At the deadline, or when the calling thread is
     * interrupted, {@code onStop} runs first (to end what the program started), then the program is killed; an
     * interrupted call then throws {@link java.io.InterruptedIOException}. Returns the exit code.
     */
    public int runStreaming(Command command, OutputSink sink, TimeoutHook onStop) throws IOException {
        Process process = builder(command).start();
        Thread out = Thread.ofVirtual().name("stream-out").start(() -> pump(process.getInputStream(), false, sink));
        Thread err = Thread.ofVirtual().name("stream-err").start(() -> pump(process.getErrorStream(), true, sink));
        boolean interrupted = false;
        try {
            writeStdin(command, process);
            if (!process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                stop(process, onStop);
                throw new CommandTimeoutException(command, "");
            }
        } catch (InterruptedException e) {
            interrupted = true;
            stop(process, onStop);
        }
        try {
            out.join(DRAIN_GRACE);
            err.join(DRAIN_GRACE);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException(command.name() + " stopped: its caller was interrupted");
        }
        return process.exitValue();
    }

    /** Where {@link #runStreaming} puts output; {@code stderr} false is stdout. Called from two threads. */
    @FunctionalInterface
    public interface OutputSink {
        void write(boolean stderr, byte[] chunk);
    }

    private static void stop(Process process, TimeoutHook onStop) {
        // the hook runs programs itself, which an interrupt pending on this thread would cut short
        boolean interrupted = Thread.interrupted();
        try {
            onStop.timedOut(process.pid());
        } catch (IOException e) {
            // killing the process below is the fallback
        }
        try {
            if (!process.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pump(java.io.InputStream in, boolean stderr, OutputSink sink) {
        byte[] buffer = new byte[16 * 1024];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (n > 0) {
                    sink.write(stderr, java.util.Arrays.copyOf(buffer, n));
                }
            }
        } catch (IOException e) {
            // the pipe was closed under us: the output ends here
        }
    }

    /** What {@link #runCapturing} calls at the deadline, before it kills the program itself. */
    @FunctionalInterface
    public interface TimeoutHook {
        void timedOut(long pid) throws IOException;
    }

    private static ProcessBuilder builder(Command command) {
        ProcessBuilder builder = new ProcessBuilder(command.argv());
        if (command.stdin() == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        if (command.workingDir() != null) {
            builder.directory(command.workingDir().toFile());
        }
        if (command.clearEnvironment()) {
            builder.environment().clear();
        }
        // systemd's socket is berthd's alone: runc given one bind-mounts it into the container and makes
        // `runc start` wait for the container's own READY=1, which an ordinary container never sends
        builder.environment().remove("NOTIFY_SOCKET");
        builder.environment().putAll(command.environment());
        return builder;
    }

    private static void writeStdin(Command command, Process process) {
        if (command.stdin() != null) {
            try (OutputStream in = process.getOutputStream()) {
                in.write(command.stdin());
            } catch (IOException e) {
                // the program closed its stdin early; its exit status and stderr tell why
            }
        }
    }

    /** Runs it and fails with {@link CommandFailedException} (stderr quoted) on a non-zero exit. */
    public CommandResult runChecked(Command command) throws IOException {
        CommandResult result = run(command);
        if (result.exitCode() != 0) {
            throw new CommandFailedException(result);
        }
        return result;
    }

    /** What to run. {@code stdin} null means /dev/null. */
    public record Command(
            List<String> argv,
            Duration timeout,
            byte[] stdin,
            Map<String, String> environment,
            boolean clearEnvironment,
            Path workingDir) {

        public Command {
            argv = List.copyOf(argv);
            environment = Map.copyOf(environment);
        }

        public static Command of(Duration timeout, List<String> argv) {
            return new Command(argv, timeout, null, Map.of(), false, null);
        }

        public Command withStdin(byte[] input) {
            return new Command(argv, timeout, input, environment, clearEnvironment, workingDir);
        }

        /** Runs with exactly this environment, nothing inherited from berthd (CNI plugins read CNI_* only). */
        public Command withOnlyEnvironment(Map<String, String> env) {
            return new Command(argv, timeout, stdin, env, true, workingDir);
        }

        public Command withEnvironment(Map<String, String> env) {
            return new Command(argv, timeout, stdin, env, false, workingDir);
        }

        public String name() {
            return Path.of(argv.getFirst()).getFileName() + (argv.size() > 1 ? " " + argv.get(1) : "");
        }
    }

    public record CommandResult(Command command, int exitCode, String stdout, String stderr) {}

    /** Output as bytes; {@code truncated}: a stream gave more than the limit and the rest was dropped. */
    public record CapturedResult(
            Command command, int exitCode, byte[] stdout, byte[] stderr, boolean timedOut, boolean truncated) {}
}
