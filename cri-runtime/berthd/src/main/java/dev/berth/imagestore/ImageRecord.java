package dev.berth.imagestore;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A pulled image as berthd keeps it: its ID (the config digest, as in containerd and Docker) and every
 * name that points at it. Immutable; changes produce a new record. Written as JSON with {@code "version": }
 * {@value #FORMAT_VERSION}; the unversioned records of earlier releases have the same fields otherwise.
 */
public record ImageRecord(
        int version,
        String id,
        List<String> repoTags,
        List<String> repoDigests,
        String manifestDigest,
        String manifestMediaType,
        String configDigest,
        List<LayerRecord> layers,
        long size,
        String platform,
        long pulledAtNanos) {

    public static final int FORMAT_VERSION = 1;

    public ImageRecord(
            String id,
            List<String> repoTags,
            List<String> repoDigests,
            String manifestDigest,
            String manifestMediaType,
            String configDigest,
            List<LayerRecord> layers,
            long size,
            String platform,
            long pulledAtNanos) {
        this(
                FORMAT_VERSION,
                id,
                repoTags,
                repoDigests,
                manifestDigest,
                manifestMediaType,
                configDigest,
                layers,
                size,
                platform,
                pulledAtNanos);
    }

    public ImageRecord {
        Objects.requireNonNull(id, "id");
        repoTags = List.copyOf(repoTags);
        repoDigests = List.copyOf(repoDigests);
        layers = List.copyOf(layers);
    }

    public boolean hasReferences() {
        return !repoTags.isEmpty() || !repoDigests.isEmpty();
    }

    public List<String> references() {
        List<String> all = new ArrayList<>(repoTags);
        all.addAll(repoDigests);
        return all;
    }

    public ImageRecord withReference(String reference, boolean isDigest) {
        List<String> tags = new ArrayList<>(repoTags);
        List<String> digests = new ArrayList<>(repoDigests);
        List<String> target = isDigest ? digests : tags;
        if (!target.contains(reference)) {
            target.add(reference);
        }
        return withReferences(tags, digests);
    }

    public ImageRecord withoutReference(String reference) {
        List<String> tags = new ArrayList<>(repoTags);
        List<String> digests = new ArrayList<>(repoDigests);
        tags.remove(reference);
        digests.remove(reference);
        return withReferences(tags, digests);
    }

    private ImageRecord withReferences(List<String> tags, List<String> digests) {
        return new ImageRecord(
                id,
                tags,
                digests,
                manifestDigest,
                manifestMediaType,
                configDigest,
                layers,
                size,
                platform,
                pulledAtNanos);
    }
}
