package dev.berth.sandbox;

import java.util.List;

/**
 * Lifecycle changes of pods and their containers, told to whoever listens (kubelet's event stream, the
 * stats' CPU samples). Owned here so that the pod and container features publish without depending on
 * their listeners; a listener overrides what it cares about. A pod sandbox's own events name the sandbox
 * as the container, as containerd does.
 */
public interface PodEvents {

    default void created(String containerId, String sandboxId) {}

    default void started(String containerId, String sandboxId) {}

    /** A client asked to stop the container (StopContainer, or its pod's stop), before it is signalled. */
    default void stopRequested(String containerId, String sandboxId) {}

    default void stopped(String containerId, String sandboxId) {}

    default void deleted(String containerId, String sandboxId) {}

    /** The pod's DELETED event, with the record it had before removal (the store no longer has it). */
    default void podDeleted(SandboxRecord removed) {}

    /** Tells each listener in turn. */
    static PodEvents all(List<PodEvents> listeners) {
        List<PodEvents> each = List.copyOf(listeners);
        return new PodEvents() {
            @Override
            public void created(String containerId, String sandboxId) {
                each.forEach(l -> l.created(containerId, sandboxId));
            }

            @Override
            public void started(String containerId, String sandboxId) {
                each.forEach(l -> l.started(containerId, sandboxId));
            }

            @Override
            public void stopRequested(String containerId, String sandboxId) {
                each.forEach(l -> l.stopRequested(containerId, sandboxId));
            }

            @Override
            public void stopped(String containerId, String sandboxId) {
                each.forEach(l -> l.stopped(containerId, sandboxId));
            }

            @Override
            public void deleted(String containerId, String sandboxId) {
                each.forEach(l -> l.deleted(containerId, sandboxId));
            }

            @Override
            public void podDeleted(SandboxRecord removed) {
                each.forEach(l -> l.podDeleted(removed));
            }
        };
    }
}
