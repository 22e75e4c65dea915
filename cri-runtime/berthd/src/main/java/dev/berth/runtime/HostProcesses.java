package dev.berth.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

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
        } catch (IOException e) {
            // a process exiting while its stat is read: the read fails with ESRCH
            if ("No such process".equals(e.getMessage())) {
                return Optional.empty();
            }
            throw e;
        }
        // the command name sits in parentheses and may itself contain spaces or ')': split after the last ')'
        String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
        return Optional.of(new ProcStat(
                pid,
                Integer.parseInt(fields[1]),
                fields[0].charAt(0),
                Integer.parseInt(fields[3]),
                Long.parseLong(fields[19])));
    }

    /** Running or sleeping, not a zombie waiting to be reaped. */
    public boolean alive(int pid) throws IOException {
        return stat(pid).map(s -> !s.exited()).orElse(false);
    }

    /** The program a process runs, from {@code /proc/<pid>/exe}; empty when it is gone. */
    public Optional<Path> executable(int pid) {
        try {
            return Optional.of(
                    Files.readSymbolicLink(proc.resolve(Integer.toString(pid)).resolve("exe")));
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

    /**
     * SIGKILLs the process and every descendant of it found in {@code /proc} (what an exec'd shell started), then
     * waits until none is alive.
     */
    public boolean killTreeAndWait(int pid, Duration timeout) throws IOException {
        List<Integer> tree = descendants(pid);
        tree.addFirst(pid);
        for (int member : tree) {
            ProcessHandle.of(member).ifPresent(ProcessHandle::destroyForcibly);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int member : tree) {
            while (alive(member)) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                pause(Duration.ofMillis(5));
            }
        }
        return true;
    }

    /**
     * The processes one of whose arguments is exactly {@code argument}, by their {@code /proc/<pid>/cmdline}; a
     * process that exits while it is read is left out.
     */
    public List<Integer> withArgument(String argument) throws IOException {
        byte[] wanted = argument.getBytes(StandardCharsets.UTF_8);
        List<Integer> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(proc)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                byte[] cmdline;
                try {
                    cmdline = Files.readAllBytes(entry.resolve("cmdline"));
                } catch (IOException e) {
                    continue;
                }
                if (hasArgument(cmdline, wanted)) {
                    found.add(Integer.parseInt(name));
                }
            }
        }
        return found;
    }

    private static boolean hasArgument(byte[] cmdline, byte[] wanted) {
        int start = 0;
        for (int i = 0; i <= cmdline.length; i++) {
            if (i == cmdline.length || cmdline[i] == 0) {
                if (i - start == wanted.length && Arrays.equals(cmdline, start, i, wanted, 0, wanted.length)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    private List<Integer> descendants(int root) throws IOException {
        Map<Integer, List<Integer>> children = new HashMap<>();
        try (Stream<Path> entries = Files.list(proc)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit)) {
                    stat(Integer.parseInt(name))
                            .ifPresent(s -> children.computeIfAbsent(s.ppid(), k -> new ArrayList<>())
                                    .add(s.pid()));
                }
            }
        }
        List<Integer> found = new ArrayList<>();
        ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(root));
        while (!queue.isEmpty()) {
            for (int child : children.getOrDefault(queue.poll(), List.of())) {
                found.add(child);
                queue.add(child);
            }
        }
        return found;
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
