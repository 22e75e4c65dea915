package dev.berth.image.registry;

import dev.berth.image.Digest;

/** One step of a blob's push, as docker reports it per layer. {@code mountedFrom} is set for MOUNTED only. */
public record PushEvent(Kind kind, Digest digest, long offset, long size, String mountedFrom) {

    public enum Kind {
        /** The repository has the blob: nothing sent. */
        EXISTS,
        /** The registry linked it from another repository: nothing sent. */
        MOUNTED,
        /** {@code offset} of {@code size} bytes sent. */
        UPLOADING,
        /** All of it sent and its digest accepted. */
        PUSHED
    }

    /** Told each step of each blob; called from the upload threads, so implementations must be thread-safe. */
    public interface Listener {
        void onEvent(PushEvent event);
    }
}
