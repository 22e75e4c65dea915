package dev.berth.sandbox;

import java.io.IOException;
import java.util.Set;

/** A pod's pinned namespaces: {@link NamespacePinner} in berthd, fakes in tests that run without root. */
public interface PodNamespaces {

    /** Makes the namespaces and pins each on a file, so they outlive the thread that made them. */
    PinnedNamespaces pin(String podId, String hostname, Set<PodNamespace> kinds) throws IOException;

    /** Unmounts and deletes whatever {@link #pin} left for this pod; releasing twice is fine. */
    void release(String podId) throws IOException;
}
