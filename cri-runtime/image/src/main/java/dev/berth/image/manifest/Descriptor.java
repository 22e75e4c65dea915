package dev.berth.image.manifest;

import dev.berth.image.Digest;
import java.util.Map;

/** An OCI content descriptor; {@code platform} is set only for index entries. */
public record Descriptor(
        String mediaType, Digest digest, long size, Platform platform, Map<String, String> annotations) {

    public Descriptor {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }
}
