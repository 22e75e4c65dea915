package dev.berth.container;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.berth.oci.ResolvedUser;
import java.util.Objects;

/**
 * A container as berthd keeps it: what CreateContainer fixed, and what changes over its life. Written as JSON
 * with {@code "version": }{@value #FORMAT_VERSION}; {@link ContainerRecordFormat} reads it and the flat records of
 * earlier releases.
 */
public record ContainerRecord(int version, ContainerMetadata metadata, ContainerStatus status) {

    public static final int FORMAT_VERSION = 1;

    public ContainerRecord {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(status, "status");
    }

    /** The record of a container being made, before conmon runs. */
    public static ContainerRecord creating(ContainerMetadata metadata, ContainerResources resources) {
        return new ContainerRecord(FORMAT_VERSION, metadata, ContainerStatus.creating(resources));
    }

    public ContainerRecord withStatus(ContainerStatus newStatus) {
        return new ContainerRecord(FORMAT_VERSION, metadata, newStatus);
    }

    public ContainerRecord created(int conmonPid, int pid, ResolvedUser runAs) {
        return withStatus(status.created(conmonPid, pid, runAs));
    }

    public ContainerRecord started(long atNanos) {
        return withStatus(status.started(atNanos));
    }

    public ContainerRecord exited(long atNanos, int code, String why, String detail) {
        return withStatus(status.exited(atNanos, code, why, detail));
    }

    /** Kept EXITED: a removal failed with {@code error} and is owed (see {@link ContainerStatus}). */
    public ContainerRecord teardownFailed(long atNanos, String error) {
        return withStatus(status.teardownFailed(atNanos, error));
    }

    /** Whether a removal failed and is owed: RemoveContainer and the next start retry it. */
    public boolean owesTeardown() {
        return status.teardownError() != null;
    }

    public ContainerRecord withResources(ContainerResources resources) {
        return withStatus(status.withResources(resources));
    }

    public String id() {
        return metadata.id();
    }

    public String sandboxId() {
        return metadata.sandboxId();
    }

    public String name() {
        return metadata.name();
    }

    public String runtimeHandler() {
        return metadata.runtimeHandler();
    }

    public String cgroupPath() {
        return metadata.cgroupPath();
    }

    public ContainerState state() {
        return status.state();
    }

    @JsonIgnore
    public boolean isLive() {
        return status.state() == ContainerState.CREATED || status.state() == ContainerState.RUNNING;
    }
}
