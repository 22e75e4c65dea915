package dev.berth.operator.image;

import java.time.Instant;
import java.util.List;

/**
 * What the registry said about an image reference.
 *
 * @param digest    the manifest or index digest a puller pins to
 * @param platforms "os/arch[/variant]" of every image in the index, or the single image's
 * @param size      bytes of config plus layers for the resolver's platform
 */
public record ImageResolution(String digest, List<String> platforms, long size, Instant resolvedAt) {
    public ImageResolution {
        platforms = List.copyOf(platforms);
    }
}
