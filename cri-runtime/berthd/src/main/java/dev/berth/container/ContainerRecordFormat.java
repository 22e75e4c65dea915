package dev.berth.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cri.v1.ContainerConfig;
import dev.berth.cri.v1.LinuxContainerResources;
import dev.berth.oci.ResolvedUser;
import dev.berth.store.Json;
import dev.berth.store.RecordFormat;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Container records on disk: version {@value ContainerRecord#FORMAT_VERSION}, and the flat, unversioned records
 * that releases before it wrote (their containers may still be running, so they must load). An unversioned record
 * is migrated in memory and written in the current format by its next update.
 */
public final class ContainerRecordFormat {

    private ContainerRecordFormat() {}

    public static RecordFormat<ContainerRecord> format() {
        return new RecordFormat<>(
                ContainerRecord.class, ContainerRecord.FORMAT_VERSION, ContainerRecordFormat::fromUnversioned);
    }

    /**
     * The shape releases before versioning wrote: one flat object, the ContainerConfig and the resources in force
     * as protobuf bytes. {@code imageName} and {@code user} are missing from the oldest ones.
     */
    private record Unversioned(
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
            ResolvedUser user) {}

    static ContainerRecord fromUnversioned(JsonNode node, Json json) throws IOException {
        Unversioned old = json.mapper().treeToValue(node, Unversioned.class);
        ContainerConfig config =
                old.config() == null ? ContainerConfig.getDefaultInstance() : ContainerConfig.parseFrom(old.config());
        LinuxContainerResources resources = old.resources() == null
                ? LinuxContainerResources.getDefaultInstance()
                : LinuxContainerResources.parseFrom(old.resources());
        String imageName = old.imageName() == null || old.imageName().isEmpty() ? old.image() : old.imageName();
        ContainerMetadata metadata = new ContainerMetadata(
                old.id(),
                old.sandboxId(),
                old.name(),
                old.attempt(),
                old.image(),
                imageName,
                config.getImage().getUserSpecifiedImage(),
                old.imageId(),
                old.imageRef(),
                old.labels(),
                old.annotations(),
                old.runtimeHandler(),
                old.cgroupPath(),
                old.logPath(),
                old.stopSignal(),
                old.snapshots(),
                ContainerConfigs.mounts(config.getMountsList()),
                old.createdAtNanos(),
                old.config());
        ContainerStatus status = new ContainerStatus(
                old.state(),
                old.startedAtNanos(),
                old.finishedAtNanos(),
                old.exitCode(),
                old.reason(),
                old.message(),
                old.conmonPid(),
                old.pid(),
                old.user(),
                ContainerConfigs.resources(resources),
                null);
        return new ContainerRecord(ContainerRecord.FORMAT_VERSION, metadata, status);
    }
}
