package dev.berth.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * CRI's RuntimeReady and NetworkReady, from what is really on the node: the programs containers need
 * (the OCI runtimes, conmon) and a usable CNI network (a conflist whose plugins are all installed, or
 * the embedded default's).
 */
public final class NodeReadiness {

    public record Condition(String type, boolean ready, String reason, String message) {}

    private final Map<String, Path> requiredPrograms;
    private final Supplier<Optional<String>> networkNotReady;

    /** @param requiredPrograms program name → where berthd runs it from, with the Debian package as the key's hint */
    public NodeReadiness(Map<String, Path> requiredPrograms, Supplier<Optional<String>> networkNotReady) {
        this.requiredPrograms = Map.copyOf(requiredPrograms);
        this.networkNotReady = networkNotReady;
    }

    public List<Condition> check() {
        return List.of(runtimeReady(), networkReady());
    }

    private Condition runtimeReady() {
        for (Map.Entry<String, Path> program : requiredPrograms.entrySet()) {
            if (!Files.isExecutable(program.getValue())) {
                return new Condition(
                        "RuntimeReady",
                        false,
                        "OCIRuntimeNotFound",
                        program.getKey() + " was not found at " + program.getValue() + "; install it (apt-get install "
                                + program.getKey() + ")");
            }
        }
        return new Condition("RuntimeReady", true, "", "");
    }

    private Condition networkReady() {
        Optional<String> problem;
        try {
            problem = networkNotReady.get();
        } catch (RuntimeException e) {
            problem = Optional.of(e.getMessage());
        }
        return problem.map(message -> new Condition("NetworkReady", false, "NetworkPluginNotReady", message))
                .orElseGet(() -> new Condition("NetworkReady", true, "", ""));
    }
}
