package dev.berth.cli.container;

import dev.berth.cli.CliException;
import dev.berth.cli.cri.Cri;
import dev.berth.cri.v1.ContainerConfig;
import dev.berth.cri.v1.ContainerMetadata;
import dev.berth.cri.v1.CreateContainerRequest;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.PodSandboxState;
import dev.berth.cri.v1.PodSandboxStatusRequest;
import dev.berth.cri.v1.RemoveContainerRequest;
import dev.berth.cri.v1.RemovePodSandboxRequest;
import dev.berth.cri.v1.StartContainerRequest;
import dev.berth.cri.v1.StopContainerRequest;
import dev.berth.cri.v1.StopPodSandboxRequest;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.stream.Stream;

/** Starts, stops and removes the CLI's containers: each a pod sandbox holding one container. */
public final class Lifecycle {

    private final Cri cri;

    public Lifecycle(Cri cri) {
        this.cri = cri;
    }

    /** Creates the container in its pod; returns its ID. A command that cannot run fails with 126 or 127. */
    public String create(String podId, ContainerConfig config, PodSandboxConfig podConfig) {
        try {
            return cri.runtime()
                    .createContainer(CreateContainerRequest.newBuilder()
                            .setPodSandboxId(podId)
                            .setConfig(config)
                            .setSandboxConfig(podConfig)
                            .build())
                    .getContainerId();
        } catch (StatusRuntimeException e) {
            throw commandFailure(cri.failure("create container", e));
        }
    }

    /** Starts a created container; a command that cannot run fails with docker's 126 or 127. */
    public void start(String containerId) {
        try {
            cri.runtime()
                    .startContainer(StartContainerRequest.newBuilder()
                            .setContainerId(containerId)
                            .build());
        } catch (StatusRuntimeException e) {
            throw commandFailure(cri.failure("start container", e));
        }
    }

    /**
     * runc names a command it cannot run in words (it fails the create, or the start): docker's 127 for one
     * that is not there, 126 for one that may not run, with runc's own sentence rather than the runtime's wrapping.
     */
    private static CliException commandFailure(CliException failure) {
        String message = failure.getMessage();
        int exec = message.indexOf("exec: ");
        if (exec < 0) {
            return failure;
        }
        String reason = "cannot run the container's command: " + message.substring(exec);
        if (message.contains("executable file not found") || message.contains("no such file or directory")) {
            return CliException.withCode(127, reason);
        }
        if (message.contains("permission denied")) {
            return CliException.withCode(126, reason);
        }
        return failure;
    }

    public void stop(CliContainer container, long timeoutSeconds) {
        container
                .containerId()
                .ifPresent(id -> cri.call(
                        "stop container " + container.name(),
                        () -> cri.runtime()
                                .stopContainer(StopContainerRequest.newBuilder()
                                        .setContainerId(id)
                                        .setTimeout(timeoutSeconds)
                                        .build())));
    }

    /**
     * Makes the container of a CLI pod again from the config it was run with (a CRI container never starts twice),
     * as the next attempt, and starts it; the pod, its ID, network and ports stay.
     */
    public String recreate(CliContainer container) {
        String encoded = container.pod().getAnnotationsOrDefault(CliLabels.CONFIG, "");
        if (encoded.isEmpty()) {
            throw new CliException("container " + container.name() + " was not made by berth run; cannot start it");
        }
        var podStatus = cri.call(
                        "status of pod " + container.pod().getId(),
                        () -> cri.runtime()
                                .podSandboxStatus(PodSandboxStatusRequest.newBuilder()
                                        .setPodSandboxId(container.pod().getId())
                                        .build()))
                .getStatus();
        if (podStatus.getState() != PodSandboxState.SANDBOX_READY) {
            throw new CliException("the pod of " + container.name()
                    + " is not ready any more (stopped or lost in a daemon restart); remove it and run it again");
        }
        ContainerConfig saved;
        try {
            saved = ContainerConfig.parseFrom(Base64.getDecoder().decode(encoded));
        } catch (IOException | IllegalArgumentException e) {
            throw new CliException("container " + container.name() + " has an unreadable saved config: " + e);
        }
        int attempt = container.status().map(s -> s.getMetadata().getAttempt()).orElse(0) + 1;
        ContainerConfig config = saved.toBuilder()
                .setMetadata(ContainerMetadata.newBuilder()
                        .setName(saved.getMetadata().getName())
                        .setAttempt(attempt))
                .setLogPath(saved.getMetadata().getName() + "/" + attempt + ".log")
                .build();
        container
                .containerId()
                .ifPresent(id -> cri.call(
                        "remove container " + id,
                        () -> cri.runtime()
                                .removeContainer(RemoveContainerRequest.newBuilder()
                                        .setContainerId(id)
                                        .build())));
        PodSandboxConfig podConfig = PodSandboxConfig.newBuilder()
                .setMetadata(container.pod().getMetadata())
                .setLogDirectory(logDirectory(container))
                .putAllLabels(container.pod().getLabelsMap())
                .putAllAnnotations(container.pod().getAnnotationsMap())
                .build();
        String id = create(container.pod().getId(), config, podConfig);
        start(id);
        return id;
    }

    /** Removes a whole CLI pod (its containers with it) and the log directory the CLI made for it. */
    public void removePod(CliContainer container) {
        String podId = container.pod().getId();
        cri.call(
                "stop pod " + podId,
                () -> cri.runtime()
                        .stopPodSandbox(StopPodSandboxRequest.newBuilder()
                                .setPodSandboxId(podId)
                                .build()));
        cri.call(
                "remove pod " + podId,
                () -> cri.runtime()
                        .removePodSandbox(RemovePodSandboxRequest.newBuilder()
                                .setPodSandboxId(podId)
                                .build()));
        if (container.managed()) {
            deleteTree(Path.of(logDirectory(container)));
        }
    }

    /** Removes one container of someone else's pod, stopping it first. */
    public void removeContainer(String containerId) {
        cri.call(
                "stop container " + containerId,
                () -> cri.runtime()
                        .stopContainer(StopContainerRequest.newBuilder()
                                .setContainerId(containerId)
                                .setTimeout(0)
                                .build()));
        cri.call(
                "remove container " + containerId,
                () -> cri.runtime()
                        .removeContainer(RemoveContainerRequest.newBuilder()
                                .setContainerId(containerId)
                                .build()));
    }

    /** Where the CLI puts a pod's logs: kubelet's layout, {@code /var/log/pods/NAMESPACE_NAME_UID}. */
    public static String logDirectory(String name, String uid) {
        return "/var/log/pods/" + CliLabels.NAMESPACE + "_" + name + "_" + uid;
    }

    private static String logDirectory(CliContainer container) {
        return logDirectory(
                container.pod().getMetadata().getName(),
                container.pod().getMetadata().getUid());
    }

    private static void deleteTree(Path dir) {
        // only a directory the CLI named: kubelet's pods keep theirs
        if (!dir.toString().startsWith("/var/log/pods/" + CliLabels.NAMESPACE + "_") || !Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // the logs of a removed container are worth no failure of rm
        }
    }
}
