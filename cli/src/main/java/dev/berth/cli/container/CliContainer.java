package dev.berth.cli.container;

import dev.berth.cri.v1.ContainerStatus;
import dev.berth.cri.v1.PodSandbox;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What docker calls a container: for the CLI's own, a pod sandbox and its (latest) container, shown under the
 * pod's ID, which stays when start makes the container again; for anyone else's (kubelet's), the container alone.
 *
 * @param status the container's status; empty when the pod holds no container (a run that failed half-way)
 */
public record CliContainer(PodSandbox pod, Optional<ContainerStatus> status, boolean managed) {

    /** The ID people see and type: the pod's for the CLI's containers, the container's otherwise. */
    public String id() {
        return managed ? pod.getId() : status.map(ContainerStatus::getId).orElse(pod.getId());
    }

    public String shortId() {
        String id = id();
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    public String name() {
        if (managed) {
            return pod.getLabelsOrDefault(CliLabels.NAME, "");
        }
        return status.map(s -> "k8s_" + s.getMetadata().getName() + "_"
                        + pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace())
                .orElse(pod.getMetadata().getName());
    }

    public Optional<String> containerId() {
        return status.map(ContainerStatus::getId);
    }

    public State state() {
        return status.map(s -> State.of(s.getState())).orElse(State.CREATED);
    }

    public String image() {
        String typed = pod.getAnnotationsOrDefault(CliLabels.IMAGE, "");
        if (!typed.isEmpty()) {
            return typed;
        }
        return status.map(s -> s.getImage().getImage()).orElse("");
    }

    public List<PortSpec> ports() {
        return PortSpec.parseAnnotation(pod.getAnnotationsOrDefault(CliLabels.PORTS, ""));
    }

    public Map<String, String> labels() {
        return status.map(ContainerStatus::getLabelsMap).orElse(pod.getLabelsMap());
    }

    /** Creation of the pod (the CLI's) or of the container (anyone else's), in nanoseconds since the epoch. */
    public long createdNanos() {
        return managed
                ? pod.getCreatedAt()
                : status.map(ContainerStatus::getCreatedAt).orElse(pod.getCreatedAt());
    }
}
