package dev.berth.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * What changes as a pod is set up and stopped. Namespace paths are null where the pod uses the node's namespace
 * (or before they are made, or once StopPodSandbox released them); {@code pidNamespaceHolder} is the pid of the pod PID namespace's init, 0 without one.
 * {@code teardownError} is null unless a removal (RemovePodSandbox, or the rollback of a failed or cut-short
 * RunPodSandbox) could not undo everything: then the pod is kept, NOTREADY, with why, and RemovePodSandbox and
 * every start of berthd retry the removal until it succeeds.
 */
public record SandboxStatus(
        SandboxState state,
        String netnsPath,
        String ipcnsPath,
        String utsnsPath,
        String pidnsPath,
        int pidNamespaceHolder,
        String ip,
        List<String> additionalIps,
        // absent unless set: records without one read as before, by this release and earlier ones
        @JsonInclude(JsonInclude.Include.NON_NULL) String teardownError) {

    static final SandboxStatus CREATING =
            new SandboxStatus(SandboxState.CREATING, null, null, null, null, 0, "", List.of(), null);

    public SandboxStatus {
        Objects.requireNonNull(state, "state");
        ip = ip == null ? "" : ip;
        additionalIps = additionalIps == null ? List.of() : List.copyOf(additionalIps);
    }

    SandboxStatus withState(SandboxState newState) {
        return new SandboxStatus(
                newState,
                netnsPath,
                ipcnsPath,
                utsnsPath,
                pidnsPath,
                pidNamespaceHolder,
                ip,
                additionalIps,
                teardownError);
    }

    SandboxStatus withNamespaces(String net, String ipc, String uts, String pid, int pidHolder) {
        return new SandboxStatus(state, net, ipc, uts, pid, pidHolder, ip, additionalIps, teardownError);
    }

    SandboxStatus withNetwork(String podIp, List<String> moreIps) {
        return new SandboxStatus(
                state, netnsPath, ipcnsPath, utsnsPath, pidnsPath, pidNamespaceHolder, podIp, moreIps, teardownError);
    }

    /** NOTREADY, owing a removal that failed with {@code error}. */
    SandboxStatus teardownFailed(String error) {
        return new SandboxStatus(
                SandboxState.NOTREADY,
                netnsPath,
                ipcnsPath,
                utsnsPath,
                pidnsPath,
                pidNamespaceHolder,
                ip,
                additionalIps,
                Objects.requireNonNull(error, "error"));
    }
}
