package dev.berth.sandbox;

import dev.berth.store.CleanupSteps;
import dev.berth.store.IdLocks;
import dev.berth.store.RecordStore;
import dev.berth.timing.PhaseTimer;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pod's way out: StopPodSandbox, RemovePodSandbox, the retry of a removal a pod owes, and the rollback of a
 * RunPodSandbox that failed. Each runs under the pod's lock, so a CreateContainer in the pod finishes first and its
 * container goes with the others.
 */
final class SandboxRemoval {

    private static final Logger log = LoggerFactory.getLogger(SandboxRemoval.class);

    private final RecordStore<SandboxRecord> store;
    private final PodContainers containers;
    private final SandboxTeardown teardown;
    private final PodCgroups podCgroups;
    private final PodFiles files;
    private final IdLocks podLocks;
    private final PodEvents events;

    SandboxRemoval(
            RecordStore<SandboxRecord> store,
            PodContainers containers,
            SandboxTeardown teardown,
            PodCgroups podCgroups,
            PodFiles files,
            IdLocks podLocks,
            PodEvents events) {
        this.store = store;
        this.containers = containers;
        this.teardown = teardown;
        this.podCgroups = podCgroups;
        this.files = files;
        this.podLocks = podLocks;
        this.events = events;
    }

    /** StopPodSandbox of the pod {@code id}; null (an unknown pod) does nothing. */
    void stop(String id) throws IOException {
        underPodLock(id, sandbox -> {
            PhaseTimer timer = new PhaseTimer();
            try {
                stopLocked(sandbox, timer);
            } finally {
                log.debug("pod {} StopPodSandbox phases ms: {}", sandbox.id(), timer.summary());
            }
        });
    }

    /** RemovePodSandbox of the pod {@code id}; null (an unknown pod) does nothing. */
    void remove(String id) throws IOException {
        underPodLock(id, this::removeLocked);
    }

    void retryTeardown(String id) throws IOException {
        try (IdLocks.Held held = podLocks.lock(id)) {
            SandboxRecord sandbox = store.get(id).orElse(null);
            if (sandbox != null && (sandbox.owesTeardown() || sandbox.state() == SandboxState.CREATING)) {
                log.info(
                        "pod {} ({}/{}): retrying its removal: {}",
                        id,
                        sandbox.namespace(),
                        sandbox.name(),
                        sandbox.status().teardownError());
                removeLocked(sandbox);
            }
        }
    }

    /** Undoes a RunPodSandbox that failed part-way: what the pod holds on the node, then its cgroup and files. */
    void rollBack(SandboxRecord sandbox) throws IOException {
        removeRemains(sandbox, true);
    }

    private interface PodAction {
        void run(SandboxRecord sandbox) throws IOException;
    }

    /** Runs the action on the pod's record as it is once the pod's lock is held; a pod gone meanwhile is left alone. */
    private void underPodLock(String id, PodAction action) throws IOException {
        if (id == null) {
            return;
        }
        try (IdLocks.Held held = podLocks.lock(id)) {
            SandboxRecord sandbox = store.get(id).orElse(null);
            if (sandbox != null) {
                action.run(sandbox);
            }
        }
    }

    /**
     * NOTREADY even when releasing fails: whatever is left, the pod can no longer be relied on. Once released, the
     * record names no namespace any more, so a later stop or the removal has nothing to release again (a second CNI
     * DEL would cost as much as the first).
     *
     * <p>Unsynced: a NOTREADY record lost with the page cache went with a power loss that took the pod's namespaces,
     * network and processes too, and recovery finds a READY pod whose netns is gone NOTREADY again.
     */
    private void stopLocked(SandboxRecord sandbox, PhaseTimer timer) throws IOException {
        IOException failure = null;
        try {
            teardown.release(sandbox, () -> containers.stopAll(sandbox.id()));
        } catch (IOException e) {
            failure = e;
        }
        timer.lap("stop-and-release");
        SandboxRecord stopped = failure == null ? sandbox.released() : sandbox.withState(SandboxState.NOTREADY);
        if (!stopped.equals(sandbox)) {
            store.putTransient(stopped);
            timer.lap("record");
        }
        if (sandbox.state() != SandboxState.NOTREADY) {
            events.stopped(sandbox.id(), sandbox.id());
            log.info("pod {} ({}/{}) stopped", sandbox.id(), sandbox.namespace(), sandbox.name());
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void removeLocked(SandboxRecord sandbox) throws IOException {
        PhaseTimer timer = new PhaseTimer();
        SandboxRecord stopped;
        try {
            stopLocked(sandbox, timer);
            containers.removeAll(sandbox.id());
            timer.lap("remove-containers");
            stopped = store.get(sandbox.id()).orElse(sandbox);
            removeRemains(stopped, false);
            timer.lap("remains");
        } catch (IOException | RuntimeException e) {
            keepForRetry(sandbox.id(), "removing the pod failed: " + CleanupSteps.describe(e));
            throw e;
        }
        events.podDeleted(stopped);
        log.info("pod {} ({}/{}) removed", sandbox.id(), sandbox.namespace(), sandbox.name());
        log.debug("pod {} RemovePodSandbox phases ms: {}", sandbox.id(), timer.summary());
    }

    /**
     * The record stays, NOTREADY with the error, so that what is left is visible and RemovePodSandbox (or the next
     * start) can finish the job; forgetting it would leave a netns, a cgroup or an IP that nothing ever frees.
     */
    void keepForRetry(String id, String error) {
        SandboxRecord current = store.get(id).orElse(null);
        if (current == null) {
            return;
        }
        log.warn(
                "pod {} ({}/{}) kept NOTREADY until its removal succeeds: {}",
                id,
                current.namespace(),
                current.name(),
                error);
        try {
            store.put(current.teardownFailed(error));
        } catch (IOException e) {
            log.warn("pod {}: recording its failed removal failed too: {}", id, e.toString());
        }
    }

    /**
     * The pod's cgroup and files, then its record once nothing failed; with {@code release} first what the pod
     * holds on the node (a rollback, which no stop preceded).
     */
    private void removeRemains(SandboxRecord sandbox, boolean release) throws IOException {
        CleanupSteps steps = new CleanupSteps();
        if (release) {
            steps.run("release", () -> teardown.release(sandbox));
        }
        steps.run("pod cgroup " + sandbox.cgroupPath(), () -> podCgroups.remove(sandbox));
        steps.run("pod files", () -> files.remove(sandbox.id()));
        if (!steps.failed()) {
            store.remove(sandbox.id());
        }
        steps.finish();
    }
}
