package dev.berth.restart;

import dev.berth.sandbox.PodEvents;
import dev.berth.sandbox.SandboxRecord;
import dev.berth.store.IdLocks;
import dev.berth.store.Timestamps;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Hears, among the pod events, which containers exited and which a client asked to stop, for {@link ExitPolicies}
 * to act on later: events are told while the exit is being recorded, where no slow work may run.
 */
public final class ExitRelay implements PodEvents {

    /** A container that exited, by itself or stopped. */
    record Exit(String containerId, String sandboxId) {}

    private final BlockingQueue<Exit> exits = new LinkedBlockingQueue<>();
    private final Set<String> stopRequested = ConcurrentHashMap.newKeySet();
    /** When a client last stopped a container of the pod: a stop racing a restart must win over it. */
    private final Map<String, Long> podStoppedAt = new ConcurrentHashMap<>();
    /**
     * The pods' own locks (CreateContainer's and StopPodSandbox's): a restart makes the pod's next container under
     * it, and a client's stop waits for it. One lock for both, so a StopPodSandbox holding it never waits on a
     * restart that waits on it.
     */
    private final IdLocks podLocks;
    /**
     * Pods whose restart holds the pod's lock now. A stop waits only for those: StopPodSandbox holds the same lock
     * while its threads stop the containers, and they must not wait for it.
     */
    private final Set<String> restartsInFlight = ConcurrentHashMap.newKeySet();

    public ExitRelay(IdLocks podLocks) {
        this.podLocks = podLocks;
    }

    /**
     * Waits for a restart of the pod in flight, so that once StopContainer returns the restart has seen the stop
     * and undone its new container: what the client reads next is the container it stopped.
     */
    @Override
    public void stopRequested(String containerId, String sandboxId) {
        podStoppedAt.put(sandboxId, Timestamps.nowNanos());
        stopRequested.add(containerId);
        if (restartsInFlight.contains(sandboxId)) {
            try (IdLocks.Held restartDone = podLocks.lock(sandboxId)) {
                // nothing to do under it: having it means the restart is done
            }
        }
    }

    @Override
    public void podDeleted(SandboxRecord removed) {
        podStoppedAt.remove(removed.id());
    }

    /** Runs a restart's making of the pod's next container as one step that a client's stop waits for. */
    void restarting(String sandboxId, IoAction action) throws IOException {
        try (IdLocks.Held held = podLocks.lock(sandboxId)) {
            restartsInFlight.add(sandboxId);
            try {
                action.run();
            } finally {
                restartsInFlight.remove(sandboxId);
            }
        }
    }

    @FunctionalInterface
    interface IoAction {
        void run() throws IOException;
    }

    @Override
    public void stopped(String containerId, String sandboxId) {
        if (!containerId.equals(sandboxId)) { // a pod's own STOPPED event names the pod as its container
            exits.add(new Exit(containerId, sandboxId));
        }
    }

    @Override
    public void deleted(String containerId, String sandboxId) {
        stopRequested.remove(containerId);
    }

    Exit take() throws InterruptedException {
        return exits.take();
    }

    /** Whether a client stopped the container: docker never restarts a container its user stopped. */
    boolean wasStopRequested(String containerId) {
        return stopRequested.contains(containerId);
    }

    /** Whether a client stopped a container of the pod at or after {@code sinceNanos} (wall clock). */
    boolean podStoppedSince(String sandboxId, long sinceNanos) {
        return podStoppedAt.getOrDefault(sandboxId, Long.MIN_VALUE) >= sinceNanos;
    }
}
