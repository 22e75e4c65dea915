package dev.berth.container;

import dev.berth.oci.ResolvedUser;
import java.util.List;
import java.util.Map;

/**
 * A container as berthd keeps it. {@code config} is the ContainerConfig kubelet sent (protobuf bytes);
 * {@code resources} the LinuxContainerResources in force (protobuf bytes, replaced by updates). {@code image} is
 * the request's image.image (kubelet sends the image ID there), {@code imageName} the name ContainerStatus shows
 * for it and {@code user} the identity the process runs as; both are null in records of older berthd versions.
 */
public record ContainerRecord(
        String id,
        String sandboxId,
        String name,
        int attempt,
        String image,
        String imageId,
        String imageRef,
        Map<String, String> labels,
        Map<String, String> annotations,
        String runtimeHandler,
        String cgroupPath,
        String logPath,
        int stopSignal,
        List<String> snapshots,
        long createdAtNanos,
        long startedAtNanos,
        long finishedAtNanos,
        ContainerState state,
        int exitCode,
        String reason,
        String message,
        int conmonPid,
        int pid,
        byte[] config,
        byte[] resources,
        String imageName,
        ResolvedUser user) {

    public ContainerRecord {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        snapshots = snapshots == null ? List.of() : List.copyOf(snapshots);
    }

    public ContainerRecord created(int newConmonPid, int newPid, ResolvedUser runAs) {
        return new ContainerRecord(id, sandboxId, name, attempt, image, imageId, imageRef, labels, annotations,
                runtimeHandler, cgroupPath, logPath, stopSignal, snapshots, createdAtNanos, 0, 0,
                ContainerState.CREATED, 0, "", "", newConmonPid, newPid, config, resources, imageName, runAs);
    }

    public ContainerRecord started(long atNanos) {
        return new ContainerRecord(id, sandboxId, name, attempt, image, imageId, imageRef, labels, annotations,
                runtimeHandler, cgroupPath, logPath, stopSignal, snapshots, createdAtNanos, atNanos, 0,
                ContainerState.RUNNING, 0, "", "", conmonPid, pid, config, resources, imageName, user);
    }

    public ContainerRecord exited(long atNanos, int code, String why, String detail) {
        return new ContainerRecord(id, sandboxId, name, attempt, image, imageId, imageRef, labels, annotations,
                runtimeHandler, cgroupPath, logPath, stopSignal, snapshots, createdAtNanos, startedAtNanos, atNanos,
                ContainerState.EXITED, code, why, detail, conmonPid, pid, config, resources, imageName, user);
    }

    public ContainerRecord withResources(byte[] newResources) {
        return new ContainerRecord(id, sandboxId, name, attempt, image, imageId, imageRef, labels, annotations,
                runtimeHandler, cgroupPath, logPath, stopSignal, snapshots, createdAtNanos, startedAtNanos,
                finishedAtNanos, state, exitCode, reason, message, conmonPid, pid, config, newResources, imageName, user);
    }

    /** The image name for status and lists: {@code imageName}, or for an older record the requested image. */
    public String displayImage() {
        return imageName == null || imageName.isEmpty() ? image : imageName;
    }

    public boolean isLive() {
        return state == ContainerState.CREATED || state == ContainerState.RUNNING;
    }
}
