package dev.berth.imagestore;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One layer download's progress as it goes, shared by every pull that waits for that layer: the downloading
 * thread writes it, any number of watchers read it.
 */
public final class LayerProgress {

    private final String digest;
    private final long totalBytes;
    private final AtomicLong readBytes = new AtomicLong();
    private volatile LayerState state;

    LayerProgress(String digest, long totalBytes, LayerState state) {
        this.digest = digest;
        this.totalBytes = totalBytes;
        this.state = state;
    }

    /** A layer whose snapshot was there before the pull started. */
    static LayerProgress alreadyThere(String digest, long totalBytes) {
        LayerProgress done = new LayerProgress(digest, totalBytes, LayerState.ALREADY_EXISTS);
        done.readBytes.set(totalBytes);
        return done;
    }

    void moveTo(LayerState next) {
        state = next;
    }

    void read(long bytes) {
        readBytes.addAndGet(bytes);
    }

    void complete() {
        readBytes.set(totalBytes);
        state = LayerState.COMPLETE;
    }

    public Snapshot snapshot() {
        // state first: a COMPLETE layer's bytes are final before its state says so
        LayerState now = state;
        return new Snapshot(digest, totalBytes, Math.min(readBytes.get(), totalBytes), now);
    }

    public record Snapshot(String digest, long totalBytes, long downloadedBytes, LayerState state) {}
}
