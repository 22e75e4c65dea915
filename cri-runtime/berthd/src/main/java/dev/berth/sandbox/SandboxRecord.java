package dev.berth.sandbox;

import java.util.List;
import java.util.Objects;

/**
 * A pod sandbox as berthd keeps it: what RunPodSandbox fixed, and what changes as the pod is set up and stopped.
 * Written as JSON with {@code "version": }{@value #FORMAT_VERSION}; {@link SandboxRecordFormat} reads it and the
 * flat records of earlier releases.
 */
public record SandboxRecord(int version, SandboxMetadata metadata, SandboxStatus status) {

    public static final int FORMAT_VERSION = 1;

    public SandboxRecord {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(status, "status");
    }

    /** The record of a pod being made: no namespaces, no network yet. */
    public static SandboxRecord creating(SandboxMetadata metadata) {
        return new SandboxRecord(FORMAT_VERSION, metadata, SandboxStatus.CREATING);
    }

    public SandboxRecord withState(SandboxState newState) {
        return withStatus(status.withState(newState));
    }

    public SandboxRecord withNamespaces(String net, String ipc, String uts, String pid, int pidHolder) {
        return withStatus(status.withNamespaces(net, ipc, uts, pid, pidHolder));
    }

    public SandboxRecord withPidNamespaceHolder(int pid) {
        return withStatus(status.withNamespaces(
                status.netnsPath(), status.ipcnsPath(), status.utsnsPath(), status.pidnsPath(), pid));
    }

    public SandboxRecord withNetwork(String podIp, List<String> moreIps) {
        return withStatus(status.withNetwork(podIp, moreIps));
    }

    /** NOTREADY, its namespaces (and the PID namespace's init) released: the record names none any more. */
    public SandboxRecord released() {
        return withStatus(status.withState(SandboxState.NOTREADY).withNamespaces(null, null, null, null, 0));
    }

    /** Kept NOTREADY: a removal failed with {@code error} and is owed (see {@link SandboxStatus}). */
    public SandboxRecord teardownFailed(String error) {
        return withStatus(status.teardownFailed(error));
    }

    /** Whether a removal failed and is owed: RemovePodSandbox and the next start retry it. */
    public boolean owesTeardown() {
        return status.teardownError() != null;
    }

    private SandboxRecord withStatus(SandboxStatus newStatus) {
        return new SandboxRecord(FORMAT_VERSION, metadata, newStatus);
    }

    public String id() {
        return metadata.id();
    }

    public String name() {
        return metadata.name();
    }

    public String namespace() {
        return metadata.namespace();
    }

    public String runtimeHandler() {
        return metadata.runtimeHandler();
    }

    public String cgroupPath() {
        return metadata.cgroupPath();
    }

    public SandboxState state() {
        return status.state();
    }
}
