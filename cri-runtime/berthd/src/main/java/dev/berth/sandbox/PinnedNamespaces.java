package dev.berth.sandbox;

import java.nio.file.Path;
import java.util.Map;

/** A pod's namespaces, each kept alive by a bind mount of its nsfs file; the paths are what runc joins. */
public record PinnedNamespaces(String podId, Map<PodNamespace, Path> paths) {

    public PinnedNamespaces {
        paths = Map.copyOf(paths);
    }
}
