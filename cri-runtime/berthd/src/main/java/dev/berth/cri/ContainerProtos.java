package dev.berth.cri;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.util.JsonFormat;
import dev.berth.container.ContainerConfigs;
import dev.berth.container.ContainerMount;
import dev.berth.container.ContainerPaths;
import dev.berth.container.ContainerRecord;
import dev.berth.cri.v1.Container;
import dev.berth.cri.v1.ContainerFilter;
import dev.berth.cri.v1.ContainerMetadata;
import dev.berth.cri.v1.ContainerResources;
import dev.berth.cri.v1.ContainerState;
import dev.berth.cri.v1.ContainerStatus;
import dev.berth.cri.v1.ContainerUser;
import dev.berth.cri.v1.HugepageLimit;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.LinuxContainerResources;
import dev.berth.cri.v1.LinuxContainerUser;
import dev.berth.cri.v1.Mount;
import dev.berth.cri.v1.MountPropagation;
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
        return ContainerMetadata.newBuilder()
                .setName(record.name())
                .setAttempt(record.metadata().attempt())
                .build();
    }

    Container container(ContainerRecord record) {
        var fixed = record.metadata();
        return Container.newBuilder()
                .setId(record.id())
                .setPodSandboxId(record.sandboxId())
                .setMetadata(metadata(record))
                .setImage(ImageSpec.newBuilder().setImage(fixed.imageName()))
                .setImageRef(fixed.imageRef())
                .setImageId(fixed.imageId())
                .setState(state(record.state()))
                .setCreatedAt(fixed.createdAtNanos())
                .putAllLabels(fixed.labels())
                .putAllAnnotations(fixed.annotations())
                .build();
    }

    ContainerStatus status(ContainerRecord record) {
        var fixed = record.metadata();
        var current = record.status();
        ContainerStatus.Builder status = ContainerStatus.newBuilder();
        if (current.user() != null) {
            status.setUser(ContainerUser.newBuilder()
                    .setLinux(LinuxContainerUser.newBuilder()
                            .setUid(current.user().uid())
                            .setGid(current.user().gid())
                            .addAllSupplementalGroups(current.user().additionalGids())));
        }
        fixed.mounts().forEach(mount -> status.addMounts(mount(mount)));
        return status.setId(record.id())
                .setMetadata(metadata(record))
                .setState(state(record.state()))
                .setCreatedAt(fixed.createdAtNanos())
                .setStartedAt(current.startedAtNanos())
                .setFinishedAt(current.finishedAtNanos())
                .setExitCode(current.exitCode())
                .setImage(ImageSpec.newBuilder()
                        .setImage(fixed.imageName())
                        .setUserSpecifiedImage(fixed.userSpecifiedImage()))
                .setImageRef(fixed.imageRef())
                .setImageId(fixed.imageId())
                .setReason(current.reason())
                .setMessage(message(current))
                .putAllLabels(fixed.labels())
                .putAllAnnotations(fixed.annotations())
                .setLogPath(fixed.logPath())
                .setResources(ContainerResources.newBuilder().setLinux(resources(current.resources())))
                .build();
    }

    /** A removal that failed and is owed is said after the exit's own message. */
    private static String message(dev.berth.container.ContainerStatus current) {
        if (current.teardownError() == null) {
            return current.message();
        }
        String owed = "berthd could not remove all of the container and retries on RemoveContainer: "
                + current.teardownError();
        return current.message().isEmpty() ? owed : current.message() + "; " + owed;
    }

    private static Mount mount(ContainerMount mount) {
        return Mount.newBuilder()
                .setContainerPath(mount.containerPath())
                .setHostPath(mount.hostPath())
                .setReadonly(mount.readonly())
                .setSelinuxRelabel(mount.selinuxRelabel())
                .setPropagation(
                        switch (mount.propagation()) {
                            case PRIVATE -> MountPropagation.PROPAGATION_PRIVATE;
                            case HOST_TO_CONTAINER -> MountPropagation.PROPAGATION_HOST_TO_CONTAINER;
                            case BIDIRECTIONAL -> MountPropagation.PROPAGATION_BIDIRECTIONAL;
                        })
                .setRecursiveReadOnly(mount.recursiveReadOnly())
                .build();
    }

    private static LinuxContainerResources resources(dev.berth.container.ContainerResources r) {
        LinuxContainerResources.Builder linux = LinuxContainerResources.newBuilder()
                .setCpuPeriod(r.cpuPeriod())
                .setCpuQuota(r.cpuQuota())
                .setCpuShares(r.cpuShares())
                .setMemoryLimitInBytes(r.memoryLimitBytes())
                .setOomScoreAdj(r.oomScoreAdj())
                .setCpusetCpus(r.cpusetCpus())
                .setCpusetMems(r.cpusetMems())
                .putAllUnified(r.unified())
                .setMemorySwapLimitInBytes(r.memorySwapLimitBytes());
        r.hugepageLimits()
                .forEach((size, limit) -> linux.addHugepageLimits(
                        HugepageLimit.newBuilder().setPageSize(size).setLimit(limit)));
        return linux.build();
    }

    /**
     * What {@code crictl inspect} prints under "info": pids, paths, the config kubelet sent and the OCI spec the
     * runtime ran. The one place the record's verbatim config is parsed.
     */
    String verboseInfo(ContainerRecord record) {
        ObjectNode info = json.mapper().createObjectNode();
        info.put("sandboxID", record.sandboxId());
        info.put("pid", record.status().pid());
        info.put("conmonPid", record.status().conmonPid());
        info.put("runtimeHandler", record.runtimeHandler());
        info.put("cgroupPath", record.cgroupPath());
        info.put("bundle", paths.bundle(record.id()).toString());
        info.put("rootfs", paths.rootfs(record.id()).toString());
        info.put("snapshotKey", paths.upper(record.id()).toString());
        try {
            info.set(
                    "config",
                    json.mapper().readTree(JsonFormat.printer().print(ContainerConfigs.parse(record.metadata()))));
            Path spec = paths.bundle(record.id()).resolve("config.json");
            if (Files.exists(spec)) {
                info.set("runtimeSpec", json.mapper().readTree(Files.readAllBytes(spec)));
            }
        } catch (IOException e) {
            info.put("error", e.getMessage());
        }
        return json.toPrettyString(info);
    }

    static Predicate<ContainerRecord> filter(ContainerFilter filter) {
        return record -> record.state() != dev.berth.container.ContainerState.CREATING
                && (filter.getId().isEmpty() || record.id().startsWith(filter.getId()))
                && (filter.getPodSandboxId().isEmpty() || record.sandboxId().startsWith(filter.getPodSandboxId()))
                && (!filter.hasState()
                        || state(record.state()) == filter.getState().getState())
                && LabelSelectors.match(record.metadata().labels(), filter.getLabelSelectorMap());
    }
}
