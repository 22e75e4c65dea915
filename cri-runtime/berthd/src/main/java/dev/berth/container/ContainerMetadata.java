package dev.berth.container;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What CreateContainer fixes for a container's life. {@code image} is the request's image.image (kubelet sends the
 * image ID there), {@code imageName} the name ContainerStatus shows for it, {@code userSpecifiedImage} the name the
 * pod spec wrote. {@code mounts} are the CRI mounts as ContainerStatus reports them.
 *
 * <p>{@code config} is the ContainerConfig kubelet sent, protobuf bytes kept verbatim for one reader only: the verbose
 * ContainerStatus ({@code crictl inspect}) prints it whole. Everything else berthd needs later is a field of its own,
 * so status and list calls never parse it.
 */
public record ContainerMetadata(
        String id,
        String sandboxId,
        String name,
        int attempt,
        String image,
        String imageName,
        String userSpecifiedImage,
        String imageId,
        String imageRef,
        Map<String, String> labels,
        Map<String, String> annotations,
        String runtimeHandler,
        String cgroupPath,
        String logPath,
        int stopSignal,
        List<String> snapshots,
        List<ContainerMount> mounts,
        long createdAtNanos,
        byte[] config) {

    public ContainerMetadata {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sandboxId, "sandboxId");
        userSpecifiedImage = userSpecifiedImage == null ? "" : userSpecifiedImage;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        snapshots = snapshots == null ? List.of() : List.copyOf(snapshots);
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
    }
}
