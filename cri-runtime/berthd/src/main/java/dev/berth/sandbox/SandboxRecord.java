package dev.berth.sandbox;

import java.util.List;
import java.util.Map;

/**
 * A pod sandbox as berthd keeps it. {@code config} is the PodSandboxConfig exactly as kubelet sent it
 * (protobuf bytes), so status and restarts never lose a field. Namespace paths are null where the pod
 * uses the node's namespace.
 */
public record SandboxRecord(
        String id,
        String name,
        String namespace,
        String uid,
        int attempt,
        Map<String, String> labels,
        Map<String, String> annotations,
        String runtimeHandler,
        long createdAtNanos,
        SandboxState state,
        String netnsPath,
        String ipcnsPath,
        String utsnsPath,
        String pidnsPath,
        int pidNamespaceHolder,
        String ip,
        List<String> additionalIps,
        String cgroupPath,
        byte[] config) {

    public SandboxRecord {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        additionalIps = additionalIps == null ? List.of() : List.copyOf(additionalIps);
    }

    public SandboxRecord withState(SandboxState newState) {
        return new SandboxRecord(id, name, namespace, uid, attempt, labels, annotations, runtimeHandler,
                createdAtNanos, newState, netnsPath, ipcnsPath, utsnsPath, pidnsPath, pidNamespaceHolder, ip,
                additionalIps, cgroupPath, config);
    }

    public SandboxRecord withNamespaces(String net, String ipc, String uts, String pid, int pidHolder) {
        return new SandboxRecord(id, name, namespace, uid, attempt, labels, annotations, runtimeHandler,
                createdAtNanos, state, net, ipc, uts, pid, pidHolder, ip, additionalIps, cgroupPath, config);
    }

    public SandboxRecord withNetwork(String podIp, List<String> moreIps) {
        return new SandboxRecord(id, name, namespace, uid, attempt, labels, annotations, runtimeHandler,
                createdAtNanos, state, netnsPath, ipcnsPath, utsnsPath, pidnsPath, pidNamespaceHolder, podIp,
                moreIps, cgroupPath, config);
    }

    /** The name kubelet reserves a pod under: one sandbox per pod attempt. */
    public String reservedName() {
        return name + "_" + namespace + "_" + uid + "_" + attempt;
    }
}
