package dev.berth.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What conmon leaves behind when a container's init exits: {@code <exitDir>/<containerId>} holding the exit
 * status as decimal text (128+signal for a killed process), written atomically, so a file that exists is
 * complete. These files outlive berthd, which is how a restarted berthd learns exits it did not see.
 */
public final class ExitFiles {

    private final Path exitDir;

    public ExitFiles(Path exitDir) {
        this.exitDir = exitDir;
    }

    /** Empty while the container runs (or was never started under conmon). */
    public OptionalInt exitCode(String containerId) throws IOException {
        // every list call asks this of every live container: a failed access(2) is far cheaper than the
        // NoSuchFileException (with its stack trace) that reading a missing file costs
        if (!Files.exists(file(containerId))) {
            return OptionalInt.empty();
        }
        String text;
        try {
            text = Files.readString(file(containerId), StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(text));
        } catch (NumberFormatException e) {
            throw new IOException("exit file " + file(containerId) + " holds no exit code: '" + text + "'", e);
        }
    }

    /**
     * The ids of every container with an exit file, from one read of the directory: what a list call asks
     * instead of one file lookup per live container.
     */
    public Set<String> exitedIds() throws IOException {
        try (Stream<Path> files = Files.list(exitDir)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> !n.startsWith("."))
                    .collect(Collectors.toSet());
        } catch (NoSuchFileException e) {
            return Set.of();
        }
    }

    /** When conmon recorded the exit: the exit file's modification time. */
    public Optional<Instant> exitedAt(String containerId) throws IOException {
        try {
            return Optional.of(Files.getLastModifiedTime(file(containerId)).toInstant());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether conmon saw the kernel OOM-kill something in the container's memory cgroup: conmon 2.1.6 creates
     * an empty {@code oom} file in its persist dir (and one in its working directory, the bundle). On cgroup
     * v1 it listens on {@code memory.oom_control} through {@code cgroup.event_control}; on v2 it watches
     * {@code memory.events}.
     */
    public boolean oomKilled(Path persistDir) throws IOException {
        return Files.exists(persistDir.resolve("oom"));
    }

    /** Forgets a container's exit (on removal, or before its id is reused). */
    public void remove(String containerId) throws IOException {
        Files.deleteIfExists(file(containerId));
    }

    private Path file(String containerId) {
        if (containerId.isEmpty() || containerId.contains("/") || containerId.startsWith(".")) {
            throw new IllegalArgumentException("not a container id: '" + containerId + "'");
        }
        return exitDir.resolve(containerId);
    }
}
