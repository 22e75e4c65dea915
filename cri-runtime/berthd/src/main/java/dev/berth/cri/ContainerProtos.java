package dev.berth.cri;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.berth.container.ContainerPaths;
import dev.berth.container.ContainerRecord;
import dev.berth.cri.v1.Container;
import dev.berth.cri.v1.ContainerConfig;
import dev.berth.cri.v1.ContainerFilter;
import dev.berth.cri.v1.ContainerMetadata;
import dev.berth.cri.v1.ContainerResources;
import dev.berth.cri.v1.ContainerState;
import dev.berth.cri.v1.ContainerStatus;
import dev.berth.cri.v1.ContainerUser;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.LinuxContainerResources;
import dev.berth.cri.v1.LinuxContainerUser;
import dev.berth.store.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

/** Maps container records to CRI messages and CRI container filters to predicates. */
final class ContainerProtos {

    private final Json json;
    private final ContainerPaths paths;

    ContainerProtos(Json json, ContainerPaths paths) {
        this.json = json;
        this.paths = paths;
    }

    static ContainerState state(dev.berth.container.ContainerState state) {
        return switch (state) {
            case CREATED -> ContainerState.CONTAINER_CREATED;
            case RUNNING -> ContainerState.CONTAINER_RUNNING;
            case EXITED -> ContainerState.CONTAINER_EXITED;
            case CREATING -> ContainerState.CONTAINER_UNKNOWN;
        };
    }

    static ContainerMetadata metadata(ContainerRecord record) {
        return ContainerMetadata.newBuilder().setName(record.name()).setAttempt(record.attempt()).build();
    }

    Container container(ContainerRecord record) {
        return Container.newBuilder()
                .setId(record.id())
                .setPodSandboxId(record.sandboxId())
                .setMetadata(metadata(record))
                .setImage(ImageSpec.newBuilder().setImage(record.displayImage()))
                .setImageRef(record.imageRef())
                .setImageId(record.imageId())
                .setState(state(record.state()))
                .setCreatedAt(record.createdAtNanos())
                .putAllLabels(record.labels())
                .putAllAnnotations(record.annotations())
                .build();
    }

    ContainerStatus status(ContainerRecord record) {
        ContainerConfig config = config(record);
        ContainerStatus.Builder status = ContainerStatus.newBuilder();
        if (record.user() != null) {
            status.setUser(ContainerUser.newBuilder().setLinux(LinuxContainerUser.newBuilder()
                    .setUid(record.user().uid()).setGid(record.user().gid())
                    .addAllSupplementalGroups(record.user().additionalGids())));
        }
        return status
                .setId(record.id())
                .setMetadata(metadata(record))
                .setState(state(record.state()))
                .setCreatedAt(record.createdAtNanos())
                .setStartedAt(record.startedAtNanos())
                .setFinishedAt(record.finishedAtNanos())
                .setExitCode(record.exitCode())
                .setImage(ImageSpec.newBuilder().setImage(record.displayImage())
                        .setUserSpecifiedImage(config.getImage().getUserSpecifiedImage()))
                .setImageRef(record.imageRef())
                .setImageId(record.imageId())
                .setReason(record.reason())
                .setMessage(record.message())
                .putAllLabels(record.labels())
                .putAllAnnotations(record.annotations())
                .addAllMounts(config.getMountsList())
                .setLogPath(record.logPath())
                .setResources(ContainerResources.newBuilder().setLinux(resources(record)))
                .build();
    }

    /** What {@code crictl inspect} prints under "info": pids, paths and the OCI spec the runtime ran. */
    String verboseInfo(ContainerRecord record) {
        ObjectNode info = json.mapper().createObjectNode();
        info.put("sandboxID", record.sandboxId());
        info.put("pid", record.pid());
        info.put("conmonPid", record.conmonPid());
        info.put("runtimeHandler", record.runtimeHandler());
        info.put("cgroupPath", record.cgroupPath());
        info.put("bundle", paths.bundle(record.id()).toString());
        info.put("rootfs", paths.rootfs(record.id()).toString());
        info.put("snapshotKey", paths.upper(record.id()).toString());
        try {
            info.set("config", json.mapper().readTree(JsonFormat.printer().print(config(record))));
            Path spec = paths.bundle(record.id()).resolve("config.json");
            if (Files.exists(spec)) {
                info.set("runtimeSpec", json.mapper().readTree(Files.readAllBytes(spec)));
            }
        } catch (IOException e) {
            info.put("error", e.getMessage());
        }
        return json.toPrettyString(info);
    }

    static ContainerConfig config(ContainerRecord record) {
        try {
            return record.config() == null ? ContainerConfig.getDefaultInstance() : ContainerConfig.parseFrom(record.config());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("record of container " + record.id() + " holds an unreadable config", e);
        }
    }

    static LinuxContainerResources resources(ContainerRecord record) {
        try {
            return record.resources() == null ? LinuxContainerResources.getDefaultInstance()
                    : LinuxContainerResources.parseFrom(record.resources());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("record of container " + record.id() + " holds unreadable resources", e);
        }
    }

    static Predicate<ContainerRecord> filter(ContainerFilter filter) {
        return record -> record.state() != dev.berth.container.ContainerState.CREATING
                && (filter.getId().isEmpty() || record.id().startsWith(filter.getId()))
                && (filter.getPodSandboxId().isEmpty() || record.sandboxId().startsWith(filter.getPodSandboxId()))
                && (!filter.hasState() || state(record.state()) == filter.getState().getState())
                && LabelSelectors.match(record.labels(), filter.getLabelSelectorMap());
    }
}
