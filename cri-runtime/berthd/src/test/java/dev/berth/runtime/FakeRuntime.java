package dev.berth.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OCI runtime in memory: records each call; a signal in {@link #fatalSignals} ends the container as conmon
 * would report it (an exit file with 128 + signal).
 */
public final class FakeRuntime implements ContainerRuntime {

    /** One kill: the signal, whether to all processes, and when (System.nanoTime). */
    public record Kill(String id, int signal, boolean all, long atNanos) {}

    public final List<String> calls = new CopyOnWriteArrayList<>();
    public final List<Kill> kills = new CopyOnWriteArrayList<>();
    public final Set<Integer> fatalSignals = ConcurrentHashMap.newKeySet();
    private final Path root;
    private final Path exitDir;

    /** @param exitDir where a fatal signal writes the container's exit file, as conmon does */
    public FakeRuntime(Path root, Path exitDir) {
        this.root = root;
        this.exitDir = exitDir;
        fatalSignals.add(9);
    }

    @Override
    public Path binary() {
        return Path.of("/fake/runc");
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public OciFeatures features() {
        return new OciFeatures(Set.of());
    }

    @Override
    public Optional<RuntimeState> state(String id) {
        calls.add("state " + id);
        return Optional.empty();
    }

    @Override
    public void start(String id) {
        calls.add("start " + id);
    }

    @Override
    public void kill(String id, int signal, boolean all) throws IOException {
        calls.add("kill " + id + " " + signal);
        kills.add(new Kill(id, signal, all, System.nanoTime()));
        if (fatalSignals.contains(signal)) {
            Files.createDirectories(exitDir);
            Files.writeString(exitDir.resolve(id), Integer.toString(128 + signal));
        }
    }

    @Override
    public void delete(String id, boolean force) {
        calls.add("delete " + id);
    }

    @Override
    public void update(String id, byte[] resourcesJson) {
        calls.add("update " + id);
    }

    @Override
    public List<RuntimeState> list() {
        return new ArrayList<>();
    }

    @Override
    public ExecResult exec(String id, List<String> argv, Duration timeout, int outputLimit) {
        calls.add("exec " + id);
        return new ExecResult(0, new byte[0], new byte[0], false);
    }
}
