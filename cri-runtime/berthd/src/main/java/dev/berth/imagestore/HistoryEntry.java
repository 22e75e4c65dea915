package dev.berth.imagestore;

import java.time.Instant;

/**
 * One step of an image's build as its config's history records it; {@code size} and {@code layerDigest}
 * are those of the layer the step made (0 and null for an empty layer). {@code created} is null when the
 * config does not say.
 */
public record HistoryEntry(
        Instant created, String createdBy, long size, String comment, boolean emptyLayer, String layerDigest) {}
