package dev.berth.container;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.berth.oci.ResolvedUser;
import java.util.Objects;

/**
 * What changes over a container's life. {@code user} is the identity the process runs as, known once the spec is
 * built (null before, and in records of releases before it was kept); {@code resources} are the ones in force,
 * replaced by UpdateContainerResources. {@code teardownError} is null unless a removal (RemoveContainer, or the
 * rollback of a failed or cut-short CreateContainer) could not undo everything: then the container is kept,
 * EXITED, with why, and RemoveContainer and every start of berthd retry the removal until it succeeds.
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
        ContainerResources resources,
        // absent unless set: records without one read as before, by this release and earlier ones
        @JsonInclude(JsonInclude.Include.NON_NULL) String teardownError) {

    /** The exit code of a container whose process never ran or whose exit nobody saw. */
    static final int UNKNOWN_EXIT = 255;

    public ContainerStatus {
        Objects.requireNonNull(state, "state");
        reason = reason == null ? "" : reason;
        message = message == null ? "" : message;
        resources = resources == null ? ContainerResources.NONE : resources;
    }

    static ContainerStatus creating(ContainerResources resources) {
        return new ContainerStatus(ContainerState.CREATING, 0, 0, 0, "", "", 0, 0, null, resources, null);
    }

    ContainerStatus created(int newConmonPid, int newPid, ResolvedUser runAs) {
        return new ContainerStatus(
                ContainerState.CREATED, 0, 0, 0, "", "", newConmonPid, newPid, runAs, resources, null);
    }

    ContainerStatus started(long atNanos) {
        return new ContainerStatus(
                ContainerState.RUNNING, atNanos, 0, 0, "", "", conmonPid, pid, user, resources, null);
    }

    ContainerStatus exited(long atNanos, int code, String why, String detail) {
        return new ContainerStatus(
                ContainerState.EXITED,
                startedAtNanos,
                atNanos,
                code,
                why,
                detail,
                conmonPid,
                pid,
                user,
                resources,
                teardownError);
    }

    ContainerStatus withResources(ContainerResources newResources) {
        return new ContainerStatus(
                state,
                startedAtNanos,
                finishedAtNanos,
                exitCode,
                reason,
                message,
                conmonPid,
                pid,
                user,
                newResources,
                teardownError);
    }

    /**
     * EXITED, owing a removal that failed with {@code error}. A container that never got to run (its create failed
     * or was cut short) reads as a CreateContainerError with exit code 255; one that ran keeps its exit.
     */
    ContainerStatus teardownFailed(long atNanos, String error) {
        Objects.requireNonNull(error, "error");
        boolean ran = state == ContainerState.EXITED;
        return new ContainerStatus(
                ContainerState.EXITED,
                startedAtNanos,
                ran ? finishedAtNanos : atNanos,
                ran ? exitCode : UNKNOWN_EXIT,
                ran ? reason : "CreateContainerError",
                ran ? message : "CreateContainer did not finish",
                conmonPid,
                pid,
                user,
                resources,
                error);
    }
}
