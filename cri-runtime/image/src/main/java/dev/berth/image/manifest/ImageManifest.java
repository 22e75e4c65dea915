package dev.berth.image.manifest;

import java.util.List;

/** An OCI image manifest or a Docker schema 2 manifest. */
public record ImageManifest(String mediaType, Descriptor config, List<Descriptor> layers) implements ParsedManifest {

    public ImageManifest {
        layers = List.copyOf(layers);
    }

    /** Bytes a pull downloads: the config and every (compressed) layer. */
    public long totalSize() {
        return config.size() + layers.stream().mapToLong(Descriptor::size).sum();
    }
}
