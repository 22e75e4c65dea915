package dev.berth.image.registry;

import dev.berth.image.Digest;
import dev.berth.image.manifest.ImageManifest;
import dev.berth.image.manifest.Platform;
import dev.berth.image.reference.ImageReference;
import java.net.URI;
import java.util.List;

/**
 * A reference resolved at a registry: {@code digest} is what the tag points at (index or manifest:
 * the repo digest), {@code manifestDigest} the platform's manifest within it; {@code registries} the settings it was
 * resolved with, which its blobs are fetched with too.
 */
public record ResolvedImage(
        ImageReference reference,
        Digest digest,
        String mediaType,
        List<Platform> platforms,
        Digest manifestDigest,
        ImageManifest manifest,
        byte[] manifestBytes,
        URI endpoint,
        RegistryConfig registries) {

    public ResolvedImage {
        platforms = List.copyOf(platforms);
    }

    public long size() {
        return manifest.totalSize();
    }
}
