package dev.berth.imagestore;

import dev.berth.image.manifest.ImageConfig;
import java.io.IOException;
import java.util.Optional;

/** The local images a container is created from: {@link ImageService} in berthd, fakes in tests. */
public interface ImageLookup {

    /** By name, digest reference, full ID or ID prefix. */
    Optional<ImageRecord> find(String image);

    /** The image's config blob, parsed. */
    ImageConfig config(ImageRecord image) throws IOException;
}
