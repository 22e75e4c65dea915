package dev.berth.sandbox;

import dev.berth.network.PodNetwork;
import dev.berth.network.PodNetworkRequest;
import dev.berth.store.CleanupSteps;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases what a pod holds on the node once its containers are gone: network (CNI DEL), the pod PID
 * namespace's init, the pinned namespaces, the shm tmpfs. Each step tolerates what is already gone, so a
 * rollback of a half-made pod and a repeated stop are the same call.
 */
public final class SandboxTeardown {

    private static final Logger log = LoggerFactory.getLogger(SandboxTeardown.class);

    private final PodNetwork network;
    private final PodNamespaces pinner;
    private final PidNamespaceHolder pidHolder;
    private final PodFiles files;

    public SandboxTeardown(PodNetwork network, PodNamespaces pinner, PidNamespaceHolder pidHolder, PodFiles files) {
        this.network = network;
        this.pinner = pinner;
        this.pidHolder = pidHolder;
        this.files = files;
    }

    /**
     * Every step runs even when one fails. The one exception is the pinned namespaces after a failed CNI DEL:
     * they stay, so the retry runs DEL against the same netns (without it the bridge plugin cannot find the
     * pod's addresses and leaves its rules behind).
     */
    public void release(SandboxRecord sandbox) throws IOException {
        SandboxStatus status = sandbox.status();
        CleanupSteps steps = new CleanupSteps();
        boolean detached = status.netnsPath() == null
                || steps.run("CNI DEL", () -> network.tearDown(networkRequest(sandbox, Path.of(status.netnsPath()))));
        steps.run(
                "pod PID namespace",
                () -> pidHolder.release(
                        status.pidNamespaceHolder(), status.pidnsPath() == null ? null : Path.of(status.pidnsPath())));
        if (detached) {
            steps.run("pinned namespaces", () -> pinner.release(sandbox.id()));
        }
        steps.run("shm", () -> files.unmountShm(sandbox.id()));
        if (steps.failed()) {
            log.warn("pod {}: releasing what it holds failed{}", sandbox.id(), detached ? "" : "; its netns stays");
        } else {
            log.debug("pod {} release phases ms: {}", sandbox.id(), steps.phases());
        }
        steps.finish();
    }

    static PodNetworkRequest networkRequest(SandboxRecord sandbox, Path netns) {
        SandboxMetadata pod = sandbox.metadata();
        return new PodNetworkRequest(pod.id(), pod.name(), pod.namespace(), pod.uid(), netns, pod.portMappings());
    }
}
