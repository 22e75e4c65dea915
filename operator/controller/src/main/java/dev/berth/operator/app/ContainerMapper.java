package dev.berth.operator.app;

import dev.berth.operator.model.AppPort;
import dev.berth.operator.model.AppSpec;
import dev.berth.operator.model.AppVolume;
import dev.berth.operator.model.HealthCheck;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.List;

/** The App's one container: image, process, environment, ports, resources, probes and mounts. */
final class ContainerMapper {
    static final String CONTAINER_NAME = "app";

    Container container(AppSpec spec, String image) {
        ContainerBuilder container = new ContainerBuilder()
                .withName(CONTAINER_NAME)
                .withImage(image)
                // A digest never changes, so the kubelet need not ask the registry again; a tag may move.
                .withImagePullPolicy(image.contains("@") ? "IfNotPresent" : "Always")
                .withCommand(emptyToNull(spec.getCommand()))
                .withArgs(emptyToNull(spec.getArgs()))
                .withEnv(emptyToNull(spec.getEnv()))
                .withEnvFrom(emptyToNull(spec.getEnvFrom()))
                .withPorts(emptyToNull(ports(spec.getPorts())))
                .withResources(spec.getResources())
                .withVolumeMounts(emptyToNull(mounts(spec.getVolumes())));
        if (spec.getHealthCheck() != null) {
            container
                    .withReadinessProbe(probe(spec.getHealthCheck(), spec.getPorts()))
                    .withLivenessProbe(probe(spec.getHealthCheck(), spec.getPorts()));
        }
        return container.build();
    }

    private static List<ContainerPort> ports(List<AppPort> ports) {
        if (ports == null) {
            return List.of();
        }
        return ports.stream()
                .map(p -> new ContainerPortBuilder()
                        .withName(AppPorts.name(p))
                        .withContainerPort(p.getContainerPort())
                        .withProtocol(AppPorts.protocol(p))
                        .build())
                .toList();
    }

    private static List<VolumeMount> mounts(List<AppVolume> volumes) {
        if (volumes == null) {
            return List.of();
        }
        return volumes.stream()
                .map(v -> new VolumeMountBuilder()
                        .withName(v.getName())
                        .withMountPath(v.getMountPath())
                        .withReadOnly(Boolean.TRUE.equals(v.getReadOnly()) ? Boolean.TRUE : null)
                        .build())
                .toList();
    }

    /** Readiness and liveness share the check: the App's author declares one notion of healthy. */
    private static Probe probe(HealthCheck check, List<AppPort> ports) {
        ProbeBuilder probe = new ProbeBuilder()
                .withInitialDelaySeconds(check.getInitialDelaySeconds())
                .withPeriodSeconds(check.getPeriodSeconds())
                .withTimeoutSeconds(check.getTimeoutSeconds())
                .withFailureThreshold(check.getFailureThreshold());
        if (check.getCommand() != null && !check.getCommand().isEmpty()) {
            return probe.withNewExec().withCommand(check.getCommand()).endExec().build();
        }
        IntOrString port = check.getPort() != null
                ? new IntOrString(check.getPort())
                : new IntOrString(ports.getFirst().getContainerPort());
        return probe.withNewHttpGet()
                .withPath(check.getPath())
                .withPort(port)
                .endHttpGet()
                .build();
    }

    private static <T> List<T> emptyToNull(List<T> list) {
        return list == null || list.isEmpty() ? null : list;
    }
}
