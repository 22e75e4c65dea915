package dev.berth.build;

import dev.berth.image.registry.RegistryCredentials;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * One build as its client asked for it, protocol-free. {@code dockerfile} is the Dockerfile's text when the client
 * sent it, else null and it is read from {@code dockerfilePath} in the context. {@code credentials} gives the
 * credentials for a registry host (NONE when there are none). Limits of 0 take berthd's defaults.
 */
public record BuildRequest(
        List<String> tags,
        String dockerfilePath,
        String dockerfile,
        Map<String, String> buildArgs,
        String target,
        boolean noCache,
        NetworkMode network,
        long memoryLimitBytes,
        long cpuMillis,
        OptionalLong sourceDateEpoch,
        Function<String, RegistryCredentials> credentials,
        Map<String, String> labels) {

    public BuildRequest {
        tags = List.copyOf(tags);
        dockerfilePath = dockerfilePath == null || dockerfilePath.isEmpty() ? "Dockerfile" : dockerfilePath;
        buildArgs = Map.copyOf(buildArgs);
        target = target == null ? "" : target;
        network = network == null ? NetworkMode.DEFAULT : network;
        labels = Map.copyOf(labels);
    }

    /** Where a RUN's network comes from. */
    public enum NetworkMode {
        /** The build's own network namespace on berthd's default network, like a pod's. */
        DEFAULT,
        /** A network namespace of its own with only the loopback device. */
        NONE,
        /** The node's network namespace. */
        HOST
    }
}
