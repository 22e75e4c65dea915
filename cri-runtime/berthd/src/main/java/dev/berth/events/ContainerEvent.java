package dev.berth.events;

import dev.berth.container.ContainerRecord;
import dev.berth.sandbox.SandboxRecord;
import java.util.List;

/**
 * One lifecycle change of a container or pod sandbox, with the pod as it was right then: what kubelet's
 * Evented PLEG rebuilds the pod's status from. A pod sandbox's own events name the sandbox as the container,
 * as containerd does.
 *
 * @param sandbox the pod's record at the time of the event; null only if the pod was already gone
 * @param containers the pod's containers at the time of the event (a deleted container no longer among them)
 */
public record ContainerEvent(
        String containerId,
        String sandboxId,
        Type type,
        long createdAtNanos,
        SandboxRecord sandbox,
        List<ContainerRecord> containers) {

    public enum Type {
        CREATED,
        STARTED,
        STOPPED,
        DELETED
    }

    public ContainerEvent {
        containers = List.copyOf(containers);
    }
}
