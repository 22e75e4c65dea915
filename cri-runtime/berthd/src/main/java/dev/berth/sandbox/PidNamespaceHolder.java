package dev.berth.sandbox;

import dev.berth.store.Directories;
import dev.berth.sys.NamespaceCalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A pod-wide PID namespace (NamespaceMode POD) needs a resident init: {@code unshare --pid --fork
 * catatonit -P} makes catatonit PID 1 of a new namespace, pinned by a bind mount so containers join it
 * by path. unshare's {@code --kill-child} takes catatonit down with it, so killing the one PID the record
 * keeps ends both.
 */
public final class PidNamespaceHolder {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(5);

    private final List<String> holderCommand;
    private final NamespaceCalls calls;

    public PidNamespaceHolder(Path unshare, Path catatonit, NamespaceCalls calls) {
        this.holderCommand = List.of(
                unshare.toString(), "--pid", "--fork", "--kill-child=SIGKILL", "--", catatonit.toString(), "-P");
        this.calls = calls;
    }

    /** Starts the holder and pins its namespace at {@code target}; returns the PID to kill on release. */
    public int start(Path target) throws IOException {
        if (!Files.isExecutable(Path.of(holderCommand.get(5)))) {
            throw new IOException("a pod-wide PID namespace needs catatonit; install it (apt-get install catatonit)");
        }
        Process holder = new ProcessBuilder(holderCommand)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        int pid = (int) holder.pid();
        try {
            // beside the pin, before anything else: a crash before the record names this pid still finds it
            Directories.createPrivate(target.getParent());
            Files.writeString(holderFile(target), Integer.toString(pid));
            waitForInit(holder);
            if (!Files.exists(target)) {
                Files.createFile(target);
            }
            calls.bindMount(Path.of("/proc", Integer.toString(pid), "ns", "pid_for_children"), target);
            return pid;
        } catch (IOException | RuntimeException e) {
            holder.destroyForcibly();
            throw e;
        }
    }

    private static void waitForInit(Process holder) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!holder.isAlive()) {
                throw new IOException("unshare --pid catatonit exited with " + holder.exitValue());
            }
            if (holder.children().findAny().isPresent()) {
                return;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for catatonit", e);
            }
        }
        throw new IOException("catatonit did not start within " + START_TIMEOUT.toSeconds() + " s");
    }

    private static Path holderFile(Path target) {
        return target.resolveSibling(target.getFileName() + ".holder");
    }

    /** Unpins and kills; a holder already gone (or never started: pid 0) is fine. */
    public void release(int pid, Path target) throws IOException {
        if (pid <= 0 && target != null && Files.exists(holderFile(target))) {
            try {
                pid = Integer.parseInt(Files.readString(holderFile(target)).strip());
            } catch (NumberFormatException e) {
                pid = 0;
            }
        }
        if (target != null && Files.exists(target)) {
            calls.unmount(target);
            Files.deleteIfExists(target);
        }
        if (target != null) {
            Files.deleteIfExists(holderFile(target));
        }
        if (pid > 0) {
            Optional<ProcessHandle> handle = ProcessHandle.of(pid);
            if (handle.isPresent() && isHolder(handle.get())) {
                handle.get().destroyForcibly();
                handle.get()
                        .onExit()
                        .orTimeout(5, java.util.concurrent.TimeUnit.SECONDS)
                        .exceptionally(e -> null)
                        .join();
            }
        }
    }

    /** After a restart the PID may belong to someone else: only kill it if it is still our unshare. */
    private boolean isHolder(ProcessHandle handle) {
        return handle.info().command().map(c -> c.endsWith("unshare")).orElse(false);
    }
}
