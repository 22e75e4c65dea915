package dev.berth.sandbox;

import dev.berth.network.PodNetwork;
import dev.berth.network.PodNetworkRequest;
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

    public void release(SandboxRecord sandbox) throws IOException {
        SandboxStatus status = sandbox.status();
        IOException failure = null;
        if (status.netnsPath() != null) {
            try {
                network.tearDown(networkRequest(sandbox, Path.of(status.netnsPath())));
            } catch (IOException e) {
                failure = e;
            }
        }
        pidHolder.release(status.pidNamespaceHolder(), status.pidnsPath() == null ? null : Path.of(status.pidnsPath()));
        pinner.release(sandbox.id());
        files.unmountShm(sandbox.id());
        if (failure != null) {
            log.warn("pod {}: network teardown failed: {}", sandbox.id(), failure.getMessage());
            throw failure;
        }
    }

    static PodNetworkRequest networkRequest(SandboxRecord sandbox, Path netns) {
        SandboxMetadata pod = sandbox.metadata();
        return new PodNetworkRequest(pod.id(), pod.name(), pod.namespace(), pod.uid(), netns, pod.portMappings());
    }
}
