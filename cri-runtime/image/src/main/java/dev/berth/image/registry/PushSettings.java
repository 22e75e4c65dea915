package dev.berth.image.registry;

/**
 * How a push uploads: blobs larger than {@code chunkedAbove} bytes go up in PATCH chunks of
 * {@code chunkSize} (a registry or a proxy in front of it may refuse one huge request, and a chunk is
 * what a progress report can count), smaller ones in a single PUT; at most {@code maxConcurrentUploads}
 * blobs at a time.
 */
public record PushSettings(long chunkedAbove, long chunkSize, int maxConcurrentUploads) {

    /** containerd pushes in one request; 64 MiB chunks keep any single request to a size proxies accept. */
    public static final PushSettings DEFAULT = new PushSettings(64L << 20, 64L << 20, 3);

    public PushSettings {
        if (chunkedAbove < 0 || chunkSize <= 0 || maxConcurrentUploads <= 0) {
            throw new IllegalArgumentException(
                    "push settings must be positive: " + chunkedAbove + ", " + chunkSize + ", " + maxConcurrentUploads);
        }
    }
}
