package dev.berth.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code runtime exec} process that lives as long as the process it runs in the container, and the
 * files it leaves in its own scratch directory: the pid file (written only once the process started, so its
 * absence tells a runtime failure from the process's own exit code) and the runtime's JSON log (its reason).
 */
final class ExecProcess {

    private static final Logger log = LoggerFactory.getLogger(ExecProcess.class);
    static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private final String containerId;
    private final Path dir;
    private final Process process;
    private final HostProcesses processes = new HostProcesses();
    private final RuntimeMessages messages = new RuntimeMessages();
    private final AtomicBoolean ended = new AtomicBoolean();

    private ExecProcess(String containerId, Path dir, Process process) {
        this.containerId = containerId;
        this.dir = dir;
        this.process = process;
    }

    /** The runtime's global flags and {@code exec --pid-file} before {@code execArgs}, which end with the id and argv. */
    static List<String> argv(ContainerRuntime runtime, Path dir, List<String> execArgs) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "--log",
                dir.resolve("runtime.log").toString(),
                "--log-format",
                "json",
                "exec",
                "--pid-file",
                dir.resolve("pid").toString()));
        args.addAll(execArgs);
        return OciRuntime.argv(runtime, args);
    }

    static ExecProcess start(String containerId, Path dir, ProcessBuilder builder) throws IOException {
        return new ExecProcess(containerId, dir, builder.start());
    }

    Process process() {
        return process;
    }

    /** Whether the runtime started the process; final once the runtime has exited. */
    boolean started() {
        return Files.exists(dir.resolve("pid"));
    }

    /** Waits for the runtime, which exits with the process's status once the process has ended. */
    int awaitExit() throws InterruptedException {
        int code = process.waitFor();
        ended.set(true);
        return code;
    }

    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The client went away: SIGKILL the process in the container (killing the runtime alone would leave it
     * running), then the runtime if it does not end by itself. Does nothing once the exec has ended.
     */
    void kill() {
        if (ended.get() || !process.isAlive()) {
            return;
        }
        try {
            String pid = readPid();
            if (pid.isEmpty()) {
                log.info("container {}: exec not started yet when its client left; killing the runtime", containerId);
            } else if (!processes.killAndWait(Integer.parseInt(pid), KILL_WAIT)) {
                log.warn("container {}: exec process {} survived SIGKILL", containerId, pid);
            } else {
                log.info("container {}: exec process {} killed, its client has gone", containerId, pid);
            }
            if (!process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            // a runtime killed before it wrote the pid file may still have started the process
            String late = readPid();
            if (pid.isEmpty() && !late.isEmpty()) {
                processes.killAndWait(Integer.parseInt(late), KILL_WAIT);
            }
        } catch (IOException | NumberFormatException e) {
            log.warn("container {}: killing an exec whose client has gone: {}", containerId, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the runtime said about why the process did not start, else {@code fallback}. */
    OciRuntimeException notStarted(String fallback, int exitCode) {
        String said = "";
        try {
            said = messages.readable(Files.readString(dir.resolve("runtime.log"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            // no log: the fallback (the runtime's stderr) is all there is
        }
        if (said.isEmpty()) {
            said = messages.readable(fallback);
        }
        return new OciRuntimeException(
                said.isEmpty() ? "the runtime exited with " + exitCode + " without starting the process" : said);
    }

    private String readPid() throws IOException {
        try {
            return Files.readString(dir.resolve("pid"), StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            return "";
        }
    }
}
