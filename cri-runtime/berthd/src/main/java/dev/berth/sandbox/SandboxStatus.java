package dev.berth.sandbox;

import java.util.List;
import java.util.Objects;

/**
 * What changes as a pod is set up and stopped. Namespace paths are null where the pod uses the node's namespace
 * (or before they are made); {@code pidNamespaceHolder} is the pid of the pod PID namespace's init, 0 without one.
 */
public record SandboxStatus(
        SandboxState state,
        String netnsPath,
        String ipcnsPath,
        String utsnsPath,
        String pidnsPath,
        int pidNamespaceHolder,
        String ip,
        List<String> additionalIps) {

    static final SandboxStatus CREATING =
            new SandboxStatus(SandboxState.CREATING, null, null, null, null, 0, "", List.of());

    public SandboxStatus {
        Objects.requireNonNull(state, "state");
        ip = ip == null ? "" : ip;
        additionalIps = additionalIps == null ? List.of() : List.copyOf(additionalIps);
    }

    SandboxStatus withState(SandboxState newState) {
        return new SandboxStatus(
                newState, netnsPath, ipcnsPath, utsnsPath, pidnsPath, pidNamespaceHolder, ip, additionalIps);
    }

    SandboxStatus withNamespaces(String net, String ipc, String uts, String pid, int pidHolder) {
        return new SandboxStatus(state, net, ipc, uts, pid, pidHolder, ip, additionalIps);
    }

    SandboxStatus withNetwork(String podIp, List<String> moreIps) {
        return new SandboxStatus(state, netnsPath, ipcnsPath, utsnsPath, pidnsPath, pidNamespaceHolder, podIp, moreIps);
    }
}
