package dev.berth.runtime;

import dev.berth.process.CommandFailedException;
import dev.berth.process.CommandRunner;
import dev.berth.process.CommandRunner.Command;
import dev.berth.store.Directories;
import dev.berth.timing.PhaseTimer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates containers under conmon, the monitor that stays their parent, keeps their stdio, writes the CRI log
 * and the exit file, and outlives berthd.
 *
 * <p>conmon forks at once: the process berthd starts writes the monitor's pid to {@code -P} and exits 0, so
 * {@link CommandRunner} reaps it and berthd never holds a child for the container's lifetime. The monitor
 * calls {@code setsid()}, points its stdio at /dev/null and is reparented to init: killing berthd (even its
 * whole process group) leaves it alone. Without conmon's sync pipe, the outcome of {@code runtime create} is
 * learnt by watching the files it leaves: the container pid file (success) or the monitor's death (failure,
 * explained by the runtime's JSON log).
 */
public final class Conmon implements Monitor {

    private static final Logger log = LoggerFactory.getLogger(Conmon.class);
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);
    private static final Duration MAX_POLL = Duration.ofMillis(20);

    private final ConmonCommandLine commandLine;
    private final CommandRunner runner;
    private final HostProcesses processes = new HostProcesses();
    private final RuntimeMessages messages = new RuntimeMessages();

    public Conmon(Path conmonBinary, CommandRunner runner) {
        this.commandLine = new ConmonCommandLine(conmonBinary);
        this.runner = runner;
    }

    /**
     * Returns once the runtime reports the container {@code created}. On failure throws
     * {@link OciRuntimeException} quoting the runtime's own error and leaves no conmon process, no runtime
     * state and no attach socket behind.
     */
    @Override
    public ConmonStarted create(ConmonLaunch launch, ContainerRuntime runtime) throws IOException {
        String id = launch.containerId();
        long deadline = System.nanoTime() + launch.timeout().toNanos();
        // checked on disk, not with `runtime state`, to keep a process off the create path; without it the
        // failure clean-up below would force-delete the live container that already holds this id
        if (Files.exists(runtime.root().resolve(id))) {
            throw new OciRuntimeException("container " + id + " already exists in " + runtime.root());
        }
        PhaseTimer timer = new PhaseTimer();
        prepare(launch);
        timer.lap("prepare");
        // conmon's working directory is where it drops its second "oom" marker; keep it in the bundle as CRI-O does
        Command command = new Command(
                commandLine.create(launch, runtime), launch.timeout(), null, Map.of(), false, launch.bundle());
        try {
            runner.runChecked(command);
        } catch (CommandFailedException e) {
            cleanUpFailed(launch, runtime, OptionalInt.empty());
            throw new OciRuntimeException("conmon could not create container " + id + ": " + e.getMessage(), e);
        } catch (IOException e) {
            cleanUpFailed(launch, runtime, readPid(launch.conmonPidFile()));
            throw e;
        }
        timer.lap("spawn");
        OptionalInt conmonPid = readPid(launch.conmonPidFile());
        if (conmonPid.isEmpty()) {
            cleanUpFailed(launch, runtime, conmonPid);
            throw new OciRuntimeException(
                    "conmon for container " + id + " exited without writing its pid file " + launch.conmonPidFile());
        }
        ConmonStarted started = awaitCreated(launch, runtime, conmonPid.getAsInt(), deadline);
        timer.lap("await-create");
        log.debug("container {} Conmon phases ms: {}", id, timer.summary());
        return started;
    }

    private ConmonStarted awaitCreated(ConmonLaunch launch, ContainerRuntime runtime, int conmonPid, long deadline)
            throws IOException {
        long start = System.nanoTime();
        while (true) {
            // read the pid file before looking at conmon: conmon may exit right after runc wrote it
            OptionalInt containerPid = readPid(launch.containerPidFile());
            boolean conmonAlive = processes.alive(conmonPid);
            if (containerPid.isPresent()) {
                // runc writes --pid-file (by rename, so never half-written) only once create succeeded and its
                // state.json says "created"; asking `runc state` again would cost one more process per pod
                if (conmonAlive) {
                    log.info(
                            "container {}: created under conmon {} with init pid {}",
                            launch.containerId(),
                            conmonPid,
                            containerPid.getAsInt());
                    return new ConmonStarted(conmonPid, containerPid.getAsInt());
                }
                throw failed(launch, runtime, conmonPid, "conmon exited right after the runtime created it");
            } else if (!conmonAlive) {
                throw failed(launch, runtime, conmonPid, null);
            }
            if (System.nanoTime() > deadline) {
                throw failed(
                        launch,
                        runtime,
                        conmonPid,
                        "the runtime did not create it within "
                                + launch.timeout().toMillis() + " ms");
            }
            HostProcesses.pause(pollInterval(System.nanoTime() - start));
        }
    }

    /**
     * A create normally ends within ~15-40 ms, so the first polls come every millisecond (a poll is two
     * small /proc and file reads); a slow one is polled ever less often, up to {@link #MAX_POLL}.
     */
    static Duration pollInterval(long elapsedNanos) {
        long millis = Math.max(1, (elapsedNanos / 1_000_000 - 100) / 10);
        return millis >= MAX_POLL.toMillis() ? MAX_POLL : Duration.ofMillis(millis);
    }

    private OciRuntimeException failed(ConmonLaunch launch, ContainerRuntime runtime, int conmonPid, String reason)
            throws IOException {
        String runtimeSays = runtimeLog(launch);
        cleanUpFailed(launch, runtime, OptionalInt.of(conmonPid));
        String message = runtime.binary().getFileName() + " create " + launch.containerId() + " failed: "
                + (runtimeSays.isEmpty()
                        ? "conmon exited before the container was created and the runtime logged nothing"
                        : runtimeSays)
                + (reason == null ? "" : " (" + reason + ")");
        // logged once, where the CRI call's failure is
        return new OciRuntimeException(RuntimeMessages.kindOf(runtimeSays), message);
    }

    private String runtimeLog(ConmonLaunch launch) throws IOException {
        try {
            return messages.readable(Files.readString(launch.runtimeLog(), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return "";
        }
    }

    /** Stale markers from an earlier container of the same id would be mistaken for this one's. */
    private void prepare(ConmonLaunch launch) throws IOException {
        Directories.createPrivate(launch.logPath().getParent());
        Directories.createPrivate(launch.exitDir());
        Directories.createPrivate(launch.persistDir());
        Directories.createPrivate(launch.socketDir());
        for (Path stale : List.of(
                launch.exitDir().resolve(launch.containerId()),
                launch.persistDir().resolve("exit"),
                launch.persistDir().resolve("oom"),
                launch.conmonPidFile(),
                launch.containerPidFile(),
                launch.runtimeLog())) {
            Files.deleteIfExists(stale);
        }
    }

    private void cleanUpFailed(ConmonLaunch launch, ContainerRuntime runtime, OptionalInt conmonPid) {
        String id = launch.containerId();
        // each step on its own: one failing (say, a runtime binary that is missing) must not skip the others
        try {
            if (conmonPid.isPresent() && isConmon(conmonPid.getAsInt()) && !killTree(conmonPid.getAsInt())) {
                log.warn("container {}: conmon {} survived SIGKILL", id, conmonPid.getAsInt());
            }
        } catch (IOException e) {
            log.warn("container {}: killing conmon after a failed create: {}", id, e.getMessage());
        }
        try {
            runtime.delete(id, true);
        } catch (IOException e) {
            log.warn("container {}: deleting runtime state after a failed create: {}", id, e.getMessage());
        }
        for (Path leftover : List.of(
                launch.bundle().resolve("attach"),
                launch.bundle().resolve("ctl"),
                launch.bundle().resolve("winsz"),
                launch.socketDir().resolve(id),
                launch.conmonPidFile(),
                launch.containerPidFile())) {
            try {
                Files.deleteIfExists(leftover);
            } catch (IOException e) {
                log.warn("container {}: removing {} after a failed create: {}", id, leftover, e.getMessage());
            }
        }
    }

    /**
     * Kills a container's conmon and whatever it still runs (a runtime create cut short by a crash of
     * berthd), found by the pid conmon wrote into {@code persistDir}.
     */
    @Override
    public void killMonitor(Path persistDir) throws IOException {
        OptionalInt pid = readPid(persistDir.resolve("conmon.pid"));
        if (pid.isPresent() && isConmon(pid.getAsInt()) && !killTree(pid.getAsInt())) {
            log.warn("conmon {} survived SIGKILL", pid.getAsInt());
        }
    }

    /**
     * conmon and everything it started, waited for: a runtime process that outlived the kill could still make the
     * container's cgroup after its removal.
     */
    private boolean killTree(int pid) throws IOException {
        return processes.killTreeAndWait(pid, KILL_WAIT);
    }

    @Override
    public void killStrays(String containerId) throws IOException {
        for (int pid : processes.withArgument(containerId)) {
            boolean ours = processes
                    .executable(pid)
                    .map(exe -> exe.getFileName().toString())
                    .map(name -> name.startsWith("conmon") || name.startsWith("runc") || name.startsWith("crun"))
                    .orElse(false);
            if (ours && ProcessHandle.current().pid() != pid) {
                log.warn("container {}: killing stray process {} a killed berthd left", containerId, pid);
                if (!processes.killTreeAndWait(pid, KILL_WAIT)) {
                    log.warn("container {}: process {} survived SIGKILL", containerId, pid);
                }
            }
        }
    }

    /** Guards against signalling an unrelated process that reused a dead conmon's pid. */
    private boolean isConmon(int pid) {
        return processes
                .executable(pid)
                .map(exe -> exe.getFileName().toString().startsWith("conmon"))
                .orElse(false);
    }

    private static OptionalInt readPid(Path file) throws IOException {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(text));
        } catch (NoSuchFileException e) {
            return OptionalInt.empty();
        } catch (NumberFormatException e) {
            throw new IOException("pid file " + file + " holds no pid", e);
        }
    }
}
