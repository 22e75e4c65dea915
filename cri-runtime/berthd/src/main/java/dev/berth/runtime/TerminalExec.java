package dev.berth.runtime;

import dev.berth.process.Binaries;
import dev.berth.sys.NativeFd;
import dev.berth.sys.Terminals;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code runtime exec -t} in the foreground, as CRI-O runs it: the runtime gets a pty of berthd's as its
 * controlling terminal and stdio, makes the container's own pty, copies between the two and, on SIGWINCH
 * (which the kernel sends when berthd sets a size on its master), resizes the container's to match. berthd
 * copies the client's stdin to its master and the master to the client's stdout. (A console socket would
 * need {@code exec -d}, and then nobody berthd can wait for is the process's parent: its exit code is lost.)
 *
 * <p>The runtime must open the slave itself after {@code setsid}, so that the slave becomes its controlling
 * terminal; the JVM never opens it (opened by a session leader without O_NOCTTY it would become berthd's).
 * Hence {@code setsid sh -c 'exec "$@" <tty >tty'}: both exec into the runtime, no process stays between.
 *
 * <p>The client closing its stdin is not passed on: a pty cannot be half-closed, and what containerd does
 * (closing the master) hangs up the process and loses its remaining output, while sending ^D means EOF only
 * to a program in canonical mode. The process runs on until it exits or the client leaves, as with CRI-O.
 */
final class TerminalExec {

    private static final Logger log = LoggerFactory.getLogger(TerminalExec.class);
    private static final Duration JOIN_WAIT = Duration.ofSeconds(2);
    private static final String OPEN_TTY_THEN_EXEC = "exec \"$@\" <\"$0\" >\"$0\"";

    private final ContainerRuntime runtime;
    private final Terminals terminals;
    private final String id;
    private final Path dir;

    TerminalExec(ContainerRuntime runtime, Terminals terminals, String id, Path dir) {
        this.runtime = runtime;
        this.terminals = terminals;
        this.id = id;
        this.dir = dir;
    }

    /** @param execArgs what follows {@code exec --pid-file}: {@code -t}, the id and argv, or a process file and the id */
    int run(List<String> execArgs, List<String> argv, RemoteStreams streams) throws IOException, InterruptedException {
        Terminals.Pty pty = terminals.open();
        ExecProcess exec;
        try {
            List<String> command = new ArrayList<>(List.of(
                    Binaries.find("setsid").toString(),
                    "-w",
                    Binaries.find("sh").toString(),
                    "-c",
                    OPEN_TTY_THEN_EXEC,
                    pty.slave().toString()));
            command.addAll(ExecProcess.argv(runtime, dir, execArgs));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(dir.resolve("runtime.err").toFile());
            exec = ExecProcess.start(id, dir, builder);
        } catch (IOException | RuntimeException e) {
            pty.master().close();
            throw e;
        }
        return copyUntilExit(exec, pty.master(), argv, streams);
    }

    private int copyUntilExit(ExecProcess exec, NativeFd master, List<String> argv, RemoteStreams streams)
            throws IOException, InterruptedException {
        AtomicBoolean finished = new AtomicBoolean();
        Runnable clientLeft = () -> {
            if (!finished.get()) {
                Thread.ofVirtual().name("berth-exec-kill-" + id).start(exec::kill);
            }
        };
        streams.clientGone().thenRun(clientLeft);
        List<Thread> helpers = new ArrayList<>();
        // a platform thread: it spends its life in poll(2), which would pin a virtual thread's carrier
        Thread output = Thread.ofPlatform()
                .daemon()
                .name("berth-exec-pty-" + id)
                .start(() -> copyFromMaster(master, streams.stdout(), clientLeft));
        try {
            if (streams.resizes() != null) {
                helpers.add(Thread.ofVirtual().name("berth-exec-resize-" + id).start(() -> resize(master, streams)));
            }
            if (streams.stdin() != null) {
                helpers.add(Thread.ofVirtual()
                        .name("berth-exec-stdin-" + id)
                        .start(() -> copyToMaster(streams.stdin(), master)));
            }
            int exitCode = exec.awaitExit();
            // the master reads EIO once every slave descriptor is closed; a background child may keep one
            if (!output.join(RuntimeExec.DRAIN_WAIT)) {
                log.info(
                        "container {}: exec {} exited but something in the container still holds its terminal",
                        id,
                        argv.getFirst());
            }
            if (!exec.started()) {
                throw exec.notStarted(runtimeStderr(), exitCode);
            }
            return exitCode;
        } finally {
            finished.set(true);
            master.stop();
            output.interrupt();
            helpers.forEach(Thread::interrupt);
            boolean stopped = output.join(JOIN_WAIT);
            for (Thread helper : helpers) {
                stopped &= helper.join(JOIN_WAIT);
            }
            if (exec.process().isAlive()) {
                exec.kill();
            }
            if (stopped) {
                master.close();
            } else {
                // closing under a thread still inside read/write could hit a reused descriptor number
                log.warn("container {}: exec terminal threads did not stop; its master is closed once they do", id);
                Thread.ofVirtual().start(() -> closeAfter(master, output, helpers));
            }
        }
    }

    private void copyFromMaster(NativeFd master, OutputStream stdout, Runnable clientLeft) {
        byte[] buffer = new byte[32 * 1024];
        try {
            int n;
            while ((n = master.read(buffer, NativeFd.POLL_MILLIS)) >= 0) {
                if (n > 0 && stdout != null) {
                    try {
                        stdout.write(buffer, 0, n);
                    } catch (IOException e) {
                        log.info(
                                "container {}: exec client cannot be written to ({}); ending the exec",
                                id,
                                e.getMessage());
                        clientLeft.run();
                        return;
                    }
                }
            }
        } catch (IOException e) {
            log.debug("container {}: reading the exec terminal: {}", id, e.toString());
        }
    }

    private void copyToMaster(InputStream stdin, NativeFd master) {
        byte[] buffer = new byte[32 * 1024];
        try {
            int n;
            while ((n = stdin.read(buffer)) >= 0) {
                master.write(buffer, 0, n);
            }
        } catch (InterruptedIOException e) {
            // the exec ended
        } catch (IOException e) {
            log.debug("container {}: exec terminal input ended: {}", id, e.toString());
        }
    }

    private void resize(NativeFd master, RemoteStreams streams) {
        try {
            Optional<TerminalSize> size;
            while ((size = streams.resizes().next()).isPresent()) {
                master.setWindowSize(size.get().width(), size.get().height());
            }
        } catch (InterruptedException e) {
            // the exec ended
        } catch (IOException e) {
            log.debug("container {}: resizing the exec terminal: {}", id, e.toString());
        }
    }

    private static void closeAfter(NativeFd master, Thread output, List<Thread> helpers) {
        try {
            output.join();
            for (Thread helper : helpers) {
                helper.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            master.close();
        }
    }

    private String runtimeStderr() {
        try {
            return Files.readString(dir.resolve("runtime.err"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
