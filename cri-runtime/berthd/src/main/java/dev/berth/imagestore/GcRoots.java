package dev.berth.imagestore;

import java.io.IOException;
import java.util.Set;

/** What besides image records keeps blobs and snapshots from garbage collection (the build cache). */
@FunctionalInterface
public interface GcRoots {

    GcRoots NONE = liveImageIds -> Set.of();

    /**
     * The blob digests and chain IDs to keep. Called during a collection with the IDs of the images that are left,
     * so the holder may first forget what only deleted images needed.
     */
    Set<String> retained(Set<String> liveImageIds) throws IOException;
}
