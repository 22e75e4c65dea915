package dev.berth.sandbox;

import dev.berth.network.PodNetwork;
import dev.berth.network.PodNetworkRequest;
import dev.berth.network.PortMapping;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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
        IOException failure = null;
        if (sandbox.netnsPath() != null) {
            try {
                network.tearDown(networkRequest(sandbox, Path.of(sandbox.netnsPath())));
            } catch (IOException e) {
                failure = e;
            }
        }
        pidHolder.release(sandbox.pidNamespaceHolder(), sandbox.pidnsPath() == null ? null : Path.of(sandbox.pidnsPath()));
        pinner.release(sandbox.id());
        files.unmountShm(sandbox.id());
        if (failure != null) {
            log.warn("pod {}: network teardown failed: {}", sandbox.id(), failure.getMessage());
            throw failure;
        }
    }

    static PodNetworkRequest networkRequest(SandboxRecord sandbox, Path netns) {
        return new PodNetworkRequest(sandbox.id(), sandbox.name(), sandbox.namespace(), sandbox.uid(), netns,
                portMappings(sandbox));
    }

    /** Only mappings with a host port reach CNI's portmap, as kubelet intends. */
    private static List<PortMapping> portMappings(SandboxRecord sandbox) {
        return SandboxConfigs.parse(sandbox).getPortMappingsList().stream()
                .filter(p -> p.getHostPort() > 0)
                .map(p -> new PortMapping(p.getProtocol().name().toLowerCase(Locale.ROOT), p.getContainerPort(),
                        p.getHostPort(), p.getHostIp()))
                .toList();
    }
}
