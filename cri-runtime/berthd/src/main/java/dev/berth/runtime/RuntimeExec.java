package dev.berth.runtime;

import dev.berth.store.Directories;
import dev.berth.sys.Terminals;
import dev.berth.timing.PhaseTimer;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An interactive {@code runtime exec}: the process runs as long as it likes with the client's streams, and
 * is killed when the client goes away. Without a tty the runtime passes its own stdio pipes to the process;
 * with one, the runtime copies between a pty of berthd's and the container's ({@link TerminalExec}).
 *
 * <p>The runtime reports a failure to start (no such executable) on the same stderr pipe as the process's
 * own output and exits 255, which the process may do too. The pid file tells them apart: the runtime writes
 * it only once the process has started. So stderr is held back until the pid file exists; when it never
 * appears the held bytes are the runtime's, and the exec fails with the runtime's message instead.
 */
public final class RuntimeExec {

    private static final Logger log = LoggerFactory.getLogger(RuntimeExec.class);
    /** How long output may still drain once the process has exited (a background child can hold the pipes). */
    static final Duration DRAIN_WAIT = Duration.ofSeconds(2);

    private static final Duration JOIN_WAIT = Duration.ofSeconds(2);
    /** The runtime's own words before the pid file appears are short; more is the process's, dropped. */
    private static final int HELD_BACK_LIMIT = 64 * 1024;

    private final ContainerRuntime runtime;
    private final Path scratchDir;
    private final Terminals terminals;

    /** @param scratchDir where each exec gets a 0700 directory for its pid file and the runtime's logs */
    public RuntimeExec(ContainerRuntime runtime, Path scratchDir, Terminals terminals) {
        this.runtime = runtime;
        this.scratchDir = scratchDir;
        this.terminals = terminals;
    }

    /**
     * Runs {@code argv} in container {@code id} and returns its exit code; fails with
     * {@link OciRuntimeException} carrying the runtime's message when the process could not start.
     *
     * @param process the whole OCI process to run instead of the container's own with {@code argv} (its args
     *     are {@code argv}), as runc's {@code exec --process} reads it; null: the container's process
     */
    public int run(String id, List<String> argv, boolean tty, byte[] process, RemoteStreams streams)
            throws IOException, InterruptedException {
        PhaseTimer timer = new PhaseTimer();
        Directories.createPrivate(scratchDir);
        Path dir = Files.createTempDirectory(
                scratchDir, "exec-", PosixFilePermissions.asFileAttribute(Directories.PRIVATE));
        timer.lap("scratch");
        try {
            List<String> execArgs = new ArrayList<>();
            if (tty) {
                // with a process file too: without the flag runc 1.1 leaves berthd's side of the terminal cooked,
                // and every line the process writes reaches the client as \r\r\n
                execArgs.add("-t");
            }
            if (process != null) {
                Path file = dir.resolve("process.json");
                Files.write(file, process);
                execArgs.addAll(List.of("--process", file.toString(), id));
            } else {
                execArgs.add(id);
                execArgs.addAll(argv);
            }
            return tty
                    ? new TerminalExec(runtime, terminals, id, dir).run(execArgs, argv, streams)
                    : runPiped(id, dir, execArgs, argv, streams, timer);
        } finally {
            deleteDir(dir);
            timer.lap("cleanup");
            log.debug("container {}: exec phases ms: {}", id, timer.summary());
        }
    }

    private int runPiped(
            String id, Path dir, List<String> execArgs, List<String> argv, RemoteStreams streams, PhaseTimer timer)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(ExecProcess.argv(runtime, dir, execArgs))
                .redirectInput(
                        streams.stdin() == null
                                ? ProcessBuilder.Redirect.from(new File("/dev/null"))
                                : ProcessBuilder.Redirect.PIPE)
                .redirectOutput(
                        streams.stdout() == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.PIPE)
                .redirectError(
                        streams.stderr() == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.PIPE);
        ExecProcess exec = ExecProcess.start(id, dir, builder);
        timer.lap("spawn");
        Process process = exec.process();
        AtomicBoolean finished = new AtomicBoolean();
        Runnable clientLeft = () -> {
            if (!finished.get()) {
                Thread.ofVirtual().name("berth-exec-kill-" + id).start(exec::kill);
            }
        };
        streams.clientGone().thenRun(clientLeft);
        List<Thread> outputs = new ArrayList<>();
        Thread input = null;
        ByteArrayOutputStream heldBack = new ByteArrayOutputStream();
        try {
            if (streams.stdin() != null) {
                input = Thread.ofVirtual()
                        .name("berth-exec-stdin-" + id)
                        .start(() -> copyStdin(id, streams.stdin(), process.getOutputStream()));
            } else {
                process.getOutputStream().close();
            }
            if (streams.stdout() != null) {
                outputs.add(Thread.ofVirtual()
                        .name("berth-exec-stdout-" + id)
                        .start(() -> copyOut(id, process.getInputStream(), streams.stdout(), clientLeft)));
            }
            if (streams.stderr() != null) {
                outputs.add(Thread.ofVirtual()
                        .name("berth-exec-stderr-" + id)
                        .start(() -> copyStderr(
                                id, exec, process.getErrorStream(), streams.stderr(), heldBack, clientLeft)));
            }
            int exitCode = exec.awaitExit();
            timer.lap("run");
            for (Thread output : outputs) {
                if (!output.join(DRAIN_WAIT)) {
                    log.info(
                            "container {}: exec {} exited but something in the container still holds its output open",
                            id,
                            argv.getFirst());
                }
            }
            timer.lap("drain");
            if (!exec.started()) {
                String runtimeStderr;
                synchronized (heldBack) {
                    runtimeStderr = heldBack.toString(StandardCharsets.UTF_8);
                }
                throw exec.notStarted(runtimeStderr, exitCode);
            }
            return exitCode;
        } finally {
            finished.set(true);
            if (input != null) {
                input.interrupt();
                input.join(JOIN_WAIT);
            }
            if (process.isAlive()) {
                exec.kill();
            }
        }
    }

    /** Client stdin to the process; its end closes the process's stdin, which the process reads as EOF. */
    private static void copyStdin(String id, InputStream from, OutputStream to) {
        byte[] buffer = new byte[32 * 1024];
        try (to) {
            int n;
            while ((n = from.read(buffer)) >= 0) {
                to.write(buffer, 0, n);
                to.flush();
            }
        } catch (InterruptedIOException e) {
            // the exec ended
        } catch (IOException e) {
            log.debug("container {}: exec stdin ended: {}", id, e.toString());
        }
    }

    /** Process output to the client; a client that can no longer be written to has left. */
    private static void copyOut(String id, InputStream from, OutputStream to, Runnable clientLeft) {
        byte[] buffer = new byte[32 * 1024];
        try (from) {
            int n;
            while ((n = from.read(buffer)) >= 0) {
                if (!write(id, to, buffer, n, clientLeft)) {
                    return;
                }
            }
        } catch (IOException e) {
            log.debug("container {}: exec output ended: {}", id, e.toString());
        }
    }

    private static void copyStderr(
            String id,
            ExecProcess exec,
            InputStream from,
            OutputStream to,
            ByteArrayOutputStream heldBack,
            Runnable clientLeft) {
        byte[] buffer = new byte[32 * 1024];
        boolean started = false;
        try (from) {
            int n;
            while ((n = from.read(buffer)) >= 0) {
                started = started || exec.started();
                if (!started) {
                    synchronized (heldBack) {
                        heldBack.write(buffer, 0, Math.min(n, Math.max(0, HELD_BACK_LIMIT - heldBack.size())));
                    }
                    continue;
                }
                if (!flush(id, to, heldBack, clientLeft) || !write(id, to, buffer, n, clientLeft)) {
                    return;
                }
            }
            // end of the pipe: the runtime has closed it, so whether it started the process is settled
            exec.awaitExit(ExecProcess.KILL_WAIT);
            if (exec.started()) {
                flush(id, to, heldBack, clientLeft);
            }
        } catch (IOException e) {
            log.debug("container {}: exec stderr ended: {}", id, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean flush(String id, OutputStream to, ByteArrayOutputStream heldBack, Runnable clientLeft) {
        byte[] held;
        synchronized (heldBack) {
            held = heldBack.toByteArray();
            heldBack.reset();
        }
        return held.length == 0 || write(id, to, held, held.length, clientLeft);
    }

    private static boolean write(String id, OutputStream to, byte[] bytes, int length, Runnable clientLeft) {
        try {
            to.write(bytes, 0, length);
            return true;
        } catch (IOException e) {
            log.info("container {}: exec client cannot be written to ({}); ending the exec", id, e.getMessage());
            clientLeft.run();
            return false;
        }
    }

    private static void deleteDir(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            log.warn("removing exec scratch dir {}: {}", dir, e.toString());
        }
    }
}
