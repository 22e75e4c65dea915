package dev.berth.image.registry;

import java.time.Duration;

/**
 * How a push uploads: blobs larger than {@code chunkedAbove} bytes go up in PATCH chunks of
 * {@code chunkSize} (a registry or a proxy in front of it may refuse one huge request, and a chunk is
 * what a progress report can count), smaller ones in a single PUT; at most {@code maxConcurrentUploads}
 * blobs at a time. A request may take {@code requestTimeout}, answer included, plus the time its body takes at
 * {@value #SLOWEST_UPLOAD_BYTES_PER_SECOND} bytes a second: a registry that stops reading fails the push instead
 * of holding it forever, and a big layer on a slow link still has its time.
 */
public record PushSettings(long chunkedAbove, long chunkSize, int maxConcurrentUploads, Duration requestTimeout) {

    public static final long SLOWEST_UPLOAD_BYTES_PER_SECOND = 256 * 1024;
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    /** containerd pushes in one request; 64 MiB chunks keep any single request to a size proxies accept. */
    public static final PushSettings DEFAULT = new PushSettings(64L << 20, 64L << 20, 3);

    public PushSettings {
        if (chunkedAbove < 0 || chunkSize <= 0 || maxConcurrentUploads <= 0) {
            throw new IllegalArgumentException(
                    "push settings must be positive: " + chunkedAbove + ", " + chunkSize + ", " + maxConcurrentUploads);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("a push's request timeout must be positive: " + requestTimeout);
        }
    }

    public PushSettings(long chunkedAbove, long chunkSize, int maxConcurrentUploads) {
        this(chunkedAbove, chunkSize, maxConcurrentUploads, REQUEST_TIMEOUT);
    }

    /** How long a request that sends {@code bodyLength} bytes may take. */
    Duration timeoutFor(long bodyLength) {
        return requestTimeout.plusSeconds(bodyLength / SLOWEST_UPLOAD_BYTES_PER_SECOND);
    }
}
