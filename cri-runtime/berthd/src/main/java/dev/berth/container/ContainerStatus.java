package dev.berth.container;

import dev.berth.oci.ResolvedUser;
import java.util.Objects;

/**
 * What changes over a container's life. {@code user} is the identity the process runs as, known once the spec is
 * built (null before, and in records of releases before it was kept); {@code resources} are the ones in force,
 * replaced by UpdateContainerResources.
 */
public record ContainerStatus(
        ContainerState state,
        long startedAtNanos,
        long finishedAtNanos,
        int exitCode,
        String reason,
        String message,
        int conmonPid,
        int pid,
        ResolvedUser user,
        ContainerResources resources) {

    public ContainerStatus {
        Objects.requireNonNull(state, "state");
        reason = reason == null ? "" : reason;
        message = message == null ? "" : message;
        resources = resources == null ? ContainerResources.NONE : resources;
    }

    static ContainerStatus creating(ContainerResources resources) {
        return new ContainerStatus(ContainerState.CREATING, 0, 0, 0, "", "", 0, 0, null, resources);
    }

    ContainerStatus created(int newConmonPid, int newPid, ResolvedUser runAs) {
        return new ContainerStatus(ContainerState.CREATED, 0, 0, 0, "", "", newConmonPid, newPid, runAs, resources);
    }

    ContainerStatus started(long atNanos) {
        return new ContainerStatus(ContainerState.RUNNING, atNanos, 0, 0, "", "", conmonPid, pid, user, resources);
    }

    ContainerStatus exited(long atNanos, int code, String why, String detail) {
        return new ContainerStatus(
                ContainerState.EXITED, startedAtNanos, atNanos, code, why, detail, conmonPid, pid, user, resources);
    }

    ContainerStatus withResources(ContainerResources newResources) {
        return new ContainerStatus(
                state, startedAtNanos, finishedAtNanos, exitCode, reason, message, conmonPid, pid, user, newResources);
    }
}
