package dev.berth.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Looks at and ends host processes that are not berthd's children (conmon is reparented to init). Reads
 * {@code /proc} rather than trusting {@link ProcessHandle#isAlive()}, which counts a zombie as alive: an
 * exited conmon may stay a zombie for a while until init reaps it.
 */
public final class HostProcesses {

    private final Path proc;

    public HostProcesses() {
        this(Path.of("/proc"));
    }

    HostProcesses(Path proc) {
        this.proc = proc;
    }

    /** One process's line in {@code /proc/<pid>/stat}: parent, state letter, session id, start time (clock ticks). */
    public record ProcStat(int pid, int ppid, char state, int session, long startTime) {

        public boolean exited() {
            return state == 'Z' || state == 'X';
        }
    }

    public Optional<ProcStat> stat(int pid) throws IOException {
        if (pid <= 0) {
            return Optional.empty();
        }
        String line;
        try {
            line = Files.readString(proc.resolve(Integer.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        // the command name sits in parentheses and may itself contain spaces or ')': split after the last ')'
        String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
        return Optional.of(new ProcStat(pid, Integer.parseInt(fields[1]), fields[0].charAt(0), Integer.parseInt(fields[3]),
                Long.parseLong(fields[19])));
    }

    /** Running or sleeping, not a zombie waiting to be reaped. */
    public boolean alive(int pid) throws IOException {
        return stat(pid).map(s -> !s.exited()).orElse(false);
    }

    /** The program a process runs, from {@code /proc/<pid>/exe}; empty when it is gone. */
    public Optional<Path> executable(int pid) {
        try {
            return Optional.of(Files.readSymbolicLink(proc.resolve(Integer.toString(pid)).resolve("exe")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** SIGKILLs the process and waits until it is no longer alive (zombie counts as gone). */
    public boolean killAndWait(int pid, Duration timeout) throws IOException {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !alive(pid)) {
            return true;
        }
        handle.get().destroyForcibly();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (alive(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            pause(Duration.ofMillis(5));
        }
        return true;
    }

    static void pause(Duration duration) throws IOException {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
