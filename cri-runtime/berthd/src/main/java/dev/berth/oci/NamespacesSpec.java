package dev.berth.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.berth.cri.v1.NamespaceMode;
import java.nio.file.Path;

/**
 * linux.namespaces. Network, IPC and UTS join the pod's pinned namespaces, or are absent (the host's) when the pod
 * has none; the mount namespace is always the container's own; pid is the pod's, the host's or a new one by
 * NamespaceMode; a cgroup namespace only on cgroup v2, as containerd does.
 */
final class NamespacesSpec {

    private final ObjectMapper mapper;
    private final boolean cgroupUnified;

    NamespacesSpec(ObjectMapper mapper, boolean cgroupUnified) {
        this.mapper = mapper;
        this.cgroupUnified = cgroupUnified;
    }

    ArrayNode build(ContainerSpecRequest request) {
        ArrayNode namespaces = mapper.createArrayNode();
        NamespaceMode pidMode = request.config()
                .getLinux()
                .getSecurityContext()
                .getNamespaceOptions()
                .getPid();
        if (pidMode == NamespaceMode.POD && request.podPidNamespace() != null) {
            add(namespaces, "pid", request.podPidNamespace());
        } else if (pidMode != NamespaceMode.NODE) {
            // CONTAINER, or POD for a pod without a shared pid namespace: the container is its own pid 1
            add(namespaces, "pid", null);
        }
        for (String type : new String[] {"network", "ipc", "uts"}) {
            Path path = request.podNamespaces().get(type);
            if (path != null) {
                add(namespaces, type, path);
            }
        }
        add(namespaces, "mount", null);
        if (cgroupUnified) {
            add(namespaces, "cgroup", null);
        }
        return namespaces;
    }

    private static void add(ArrayNode namespaces, String type, Path path) {
        var ns = namespaces.addObject().put("type", type);
        if (path != null) {
            ns.put("path", path.toString());
        }
    }
}
