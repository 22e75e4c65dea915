package dev.berth.operator.app;

import dev.berth.operator.model.AppPort;
import dev.berth.operator.model.AppSpec;
import dev.berth.operator.model.AppVolume;
import dev.berth.operator.model.HealthCheck;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.List;
import java.util.Map;

/** The App's one container: image, process, environment, ports, resources, probes and mounts. */
final class ContainerMapper {
    static final String CONTAINER_NAME = "app";

    /**
     * Every absent list is an empty one, never null: Fabric8 writes an empty list as no field at all, and
     * JOSDK's SSA matcher (PodTemplateSpecSanitizer, 5.2.3) reads the desired container's env and resources
     * without a null check, as every object Fabric8 builds or parses has them.
     */
    Container container(AppSpec spec, String image) {
        ContainerBuilder container = new ContainerBuilder()
                .withName(CONTAINER_NAME)
                .withImage(image)
                // A digest never changes, so the kubelet need not ask the registry again; a tag may move.
                .withImagePullPolicy(image.contains("@") ? "IfNotPresent" : "Always")
                .withCommand(orEmpty(spec.getCommand()))
                .withArgs(orEmpty(spec.getArgs()))
                .withEnv(env(spec.getEnv()))
                .withEnvFrom(orEmpty(spec.getEnvFrom()))
                .withPorts(ports(spec.getPorts()))
                .withResources(resources(spec.getResources()))
                .withVolumeMounts(mounts(spec.getVolumes()));
        if (spec.getHealthCheck() != null) {
            container
                    .withReadinessProbe(probe(spec.getHealthCheck(), spec.getPorts()))
                    .withLivenessProbe(probe(spec.getHealthCheck(), spec.getPorts()));
        }
        return container.build();
    }

    /**
     * A field reference is an atomic struct to server-side apply, so the matcher compares it whole with the
     * stored one, which the API server gave {@code apiVersion: v1} (core/v1 SetDefaults_ObjectFieldSelector):
     * the desired one says so too, or every reconcile would find it changed.
     */
    private static List<EnvVar> env(List<EnvVar> env) {
        return orEmpty(env).stream()
                .map(e -> e.getValueFrom() == null
                                || e.getValueFrom().getFieldRef() == null
                                || e.getValueFrom().getFieldRef().getApiVersion() != null
                        ? e
                        : new EnvVarBuilder(e)
                                .editValueFrom()
                                .editFieldRef()
                                .withApiVersion("v1")
                                .endFieldRef()
                                .endValueFrom()
                                .build())
                .toList();
    }

    /** A copy whose maps are never null, for the same reason as the lists: the matcher reads them unchecked. */
    private static ResourceRequirements resources(ResourceRequirements resources) {
        if (resources == null) {
            return null;
        }
        return new ResourceRequirementsBuilder()
                .withLimits(resources.getLimits() == null ? Map.of() : resources.getLimits())
                .withRequests(resources.getRequests() == null ? Map.of() : resources.getRequests())
                .withClaims(orEmpty(resources.getClaims()))
                .build();
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

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
