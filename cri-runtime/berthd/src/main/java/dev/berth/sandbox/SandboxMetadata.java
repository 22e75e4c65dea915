package dev.berth.sandbox;

import dev.berth.network.PortMapping;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What RunPodSandbox fixes for a pod's life. {@code portMappings} are the pod's host ports (mappings without one
 * never reach CNI); {@code namespaceModes} what the pod asked for, as PodSandboxStatus reports it.
 *
 * <p>{@code config} is the PodSandboxConfig kubelet sent, protobuf bytes kept verbatim for one reader only: the
 * verbose PodSandboxStatus ({@code crictl inspectp}) prints it whole. Everything else berthd needs later is a field
 * of its own, so status, list and teardown never parse it.
 *
 * <p>{@code cgroupPath} is the pod's own cgroup, {@code <cgroup_parent>/<id>}: kubelet's parent is kubelet's to
 * remove. {@code cgroupParentsMade} are the ancestors of it that did not exist when the pod was run, deepest first:
 * berthd made them (mkdir -p, as containerd does), so it removes them with the pod once they are empty.
 */
public record SandboxMetadata(
        String id,
        String name,
        String namespace,
        String uid,
        int attempt,
        Map<String, String> labels,
        Map<String, String> annotations,
        String runtimeHandler,
        String cgroupPath,
        List<String> cgroupParentsMade,
        NamespaceModes namespaceModes,
        List<PortMapping> portMappings,
        long createdAtNanos,
        byte[] config) {

    public SandboxMetadata {
        Objects.requireNonNull(id, "id");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        runtimeHandler = runtimeHandler == null ? "" : runtimeHandler;
        cgroupParentsMade = cgroupParentsMade == null ? List.of() : List.copyOf(cgroupParentsMade);
        namespaceModes = namespaceModes == null ? NamespaceModes.ALL_POD : namespaceModes;
        portMappings = portMappings == null ? List.of() : List.copyOf(portMappings);
    }

    /** The name kubelet reserves a pod under: one sandbox per pod attempt. */
    public String reservedName() {
        return name + "_" + namespace + "_" + uid + "_" + attempt;
    }
}
