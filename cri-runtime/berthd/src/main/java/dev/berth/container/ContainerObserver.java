package dev.berth.container;

import dev.berth.cgroup.CgroupManager;
import dev.berth.runtime.ExitFiles;
import dev.berth.sandbox.PodEvents;
import dev.berth.store.RecordStore;
import dev.berth.store.Timestamps;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns that a container exited from what conmon leaves behind (its exit file, its OOM marker) and
 * records it once, with kubelet's reasons: Completed, Error, OOMKilled. Cheap enough for every list call:
 * a live container costs one failed file lookup.
 */
public final class ContainerObserver {

    private static final Logger log = LoggerFactory.getLogger(ContainerObserver.class);
    private static final int SIGKILL_EXIT = 128 + Signals.SIGKILL;

    private final RecordStore<ContainerRecord> store;
    private final ExitFiles exitFiles;
    private final ContainerPaths paths;
    private final CgroupManager cgroups;
    private final PodEvents events;
    /** Counts the exits recorded, so a stop waiting for one wakes when it is recorded instead of polling. */
    private final Object exits = new Object();

    private long exitsRecorded;

    public ContainerObserver(
            RecordStore<ContainerRecord> store,
            ExitFiles exitFiles,
            ContainerPaths paths,
            CgroupManager cgroups,
            PodEvents events) {
        this.store = store;
        this.exitFiles = exitFiles;
        this.paths = paths;
        this.cgroups = cgroups;
        this.events = events;
    }

    public synchronized ContainerRecord observe(ContainerRecord record) throws IOException {
        ContainerRecord current = store.get(record.id()).orElse(record);
        if (!current.isLive()) {
            return current;
        }
        OptionalInt code = exitFiles.exitCode(current.id());
        if (code.isEmpty()) {
            return current;
        }
        // the exit file's mtime can precede our own start timestamp by the time runc start took to return
        long finishedAt = Math.max(
                current.status().startedAtNanos(),
                exitFiles.exitedAt(current.id()).map(Timestamps::nanos).orElse(Timestamps.nowNanos()));
        int exitCode = code.getAsInt();
        String reason;
        String message = "";
        if (oomKilled(current, exitCode)) {
            reason = "OOMKilled";
            message = "the container exceeded its memory limit and was killed by the kernel OOM killer";
        } else {
            reason = exitCode == 0 ? "Completed" : "Error";
        }
        ContainerRecord exited = current.exited(finishedAt, exitCode, reason, message);
        store.put(exited);
        synchronized (exits) {
            exitsRecorded++;
            exits.notifyAll();
        }
        events.stopped(exited.id(), exited.sandboxId());
        log.info(
                "container {} of pod {} exited with code {} ({})", current.id(), current.sandboxId(), exitCode, reason);
        return exited;
    }

    /** How many exits were recorded so far: read before {@link #observe}, handed to {@link #awaitAnotherExit}. */
    long exitsRecorded() {
        synchronized (exits) {
            return exitsRecorded;
        }
    }

    /**
     * Returns once an exit after the {@code seen}-th is recorded (the exit watcher records a running container's
     * as soon as conmon writes its exit file), or after {@code timeoutMillis}.
     */
    void awaitAnotherExit(long seen, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        synchronized (exits) {
            long left;
            while (exitsRecorded == seen && (left = deadline - System.nanoTime()) > 0) {
                exits.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /**
     * {@link #observe} for many records at once, reading conmon's exit directory once: the live containers
     * without an exit file, nearly all of them on a busy node, cost no file system call each.
     */
    public List<ContainerRecord> observeAll(List<ContainerRecord> records) throws IOException {
        Set<String> exited = exitFiles.exitedIds();
        List<ContainerRecord> current = new ArrayList<>(records.size());
        for (ContainerRecord record : records) {
            current.add(record.isLive() && exited.contains(record.id()) ? observe(record) : record);
        }
        return current;
    }

    /**
     * What {@link #observeAll} gives when it would record no exit: {@code records} as they are; empty when a live
     * one has an exit file, whose recording writes and may wait for its lock.
     */
    public Optional<List<ContainerRecord>> unlessExitsToRecord(List<ContainerRecord> records) throws IOException {
        Set<String> exited = exitFiles.exitedIds();
        for (ContainerRecord record : records) {
            if (record.isLive() && exited.contains(record.id())) {
                return Optional.empty();
            }
        }
        return Optional.of(records);
    }

    /** conmon's marker when it saw the OOM event; else a SIGKILL exit in a cgroup whose OOM counter moved. */
    private boolean oomKilled(ContainerRecord record, int exitCode) {
        try {
            if (exitFiles.oomKilled(paths.persist(record.id()))) {
                return true;
            }
            return exitCode == SIGKILL_EXIT
                    && cgroups.exists(record.cgroupPath())
                    && cgroups.stats(record.cgroupPath()).oomKillCount() > 0;
        } catch (IOException e) {
            log.debug("container {}: OOM check failed: {}", record.id(), e.toString());
            return false;
        }
    }
}
