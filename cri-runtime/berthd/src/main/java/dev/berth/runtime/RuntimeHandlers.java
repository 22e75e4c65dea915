package dev.berth.runtime;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * RuntimeClass handlers: the name kubelet passes in RunPodSandbox, mapped to an OCI runtime binary from
 * {@code berth.yaml}; {@code ""} and {@code "runc"} are runc.
 */
public final class RuntimeHandlers {

    private final Map<String, ContainerRuntime> byName;

    public RuntimeHandlers(Map<String, ContainerRuntime> byName) {
        this.byName = Map.copyOf(byName);
    }

    public Optional<ContainerRuntime> find(String handler) {
        return Optional.ofNullable(byName.get(handler == null ? "" : handler));
    }

    /** @throws IllegalArgumentException naming the handlers that exist */
    public ContainerRuntime require(String handler) {
        return find(handler)
                .orElseThrow(() -> new IllegalArgumentException("no runtime for handler \"" + handler
                        + "\"; configured handlers: " + names() + " (berth.yaml runtimes)"));
    }

    /** Each runtime once, though several handlers may name it. */
    public java.util.Collection<ContainerRuntime> runtimes() {
        return new java.util.LinkedHashSet<>(byName.values());
    }

    public Set<String> names() {
        return byName.keySet();
    }
}
