package dev.berth.restart;

import dev.berth.sandbox.PodEvents;
import dev.berth.sandbox.SandboxRecord;
import dev.berth.store.Timestamps;
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

    @Override
    public void stopRequested(String containerId, String sandboxId) {
        podStoppedAt.put(sandboxId, Timestamps.nowNanos());
        stopRequested.add(containerId);
    }

    @Override
    public void podDeleted(SandboxRecord removed) {
        podStoppedAt.remove(removed.id());
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
