package dev.berth.image.manifest;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The runtime defaults an image carries (its config's {@code config} object). Empty collections, never null. */
public record ContainerConfig(
        String user,
        List<String> env,
        List<String> entrypoint,
        List<String> cmd,
        String workingDir,
        Set<String> exposedPorts,
        Map<String, String> labels,
        String stopSignal,
        Set<String> volumes) {

    public ContainerConfig {
        env = env == null ? List.of() : List.copyOf(env);
        entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
        cmd = cmd == null ? List.of() : List.copyOf(cmd);
        exposedPorts = exposedPorts == null ? Set.of() : Set.copyOf(exposedPorts);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        volumes = volumes == null ? Set.of() : Set.copyOf(volumes);
    }
}
