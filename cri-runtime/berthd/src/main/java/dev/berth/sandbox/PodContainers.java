package dev.berth.sandbox;

import java.io.IOException;

/**
 * What the pod feature asks of the container feature, which depends on the pod feature and not the other way:
 * the containers of a pod stopped or removed with it.
 */
public interface PodContainers {

    /** Kills every container of the pod at once: kubelet already gave them their grace period. */
    void stopAll(String sandboxId) throws IOException;

    /** Removes every container of the pod, stopping those still running. */
    void removeAll(String sandboxId) throws IOException;
}
