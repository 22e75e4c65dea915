package dev.berth.imagestore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.content.ContentStore;
import dev.berth.image.manifest.Descriptor;
import dev.berth.image.manifest.ImageManifest;
import dev.berth.image.manifest.MediaTypes;
import dev.berth.image.registry.PushBlob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a push sends of an image: the stored manifest and blobs as they are, except layers stored as plain OCI tar
 * (berthd's own builds keep them so), which go up gzipped, as docker's and buildah's pushes do, under a manifest
 * that names the gzip copies. Gzip here is deterministic, so the same image always pushes the same manifest digest;
 * its config, hence its image ID, is unchanged. The copies live only as long as the push ({@link #close}).
 */
final class PushLayers implements AutoCloseable {

    private final List<Path> temporary = new ArrayList<>();
    private byte[] manifest;
    private final List<PushBlob> layers = new ArrayList<>();

    private PushLayers() {}

    static PushLayers of(
            byte[] stored, ImageManifest parsed, ContentStore content, PushCompression compression, ObjectMapper mapper)
            throws IOException {
        PushLayers push = new PushLayers();
        try {
            push.manifest = stored;
            ObjectNode rewritten = null;
            for (int i = 0; i < parsed.layers().size(); i++) {
                Descriptor layer = parsed.layers().get(i);
                Path file = content.path(layer.digest());
                if (!MediaTypes.OCI_LAYER_TAR.equals(layer.mediaType())) {
                    push.layers.add(new PushBlob(layer, file));
                    continue;
                }
                PushCompression.Compressed gzip = compression.gzip(file);
                push.temporary.add(gzip.file());
                Descriptor compressed = new Descriptor(
                        MediaTypes.OCI_LAYER_GZIP, gzip.digest(), gzip.size(), null, layer.annotations());
                push.layers.add(new PushBlob(compressed, gzip.file()));
                if (rewritten == null) {
                    rewritten = (ObjectNode) mapper.readTree(stored);
                }
                JsonNode entry = rewritten.path("layers").path(i);
                if (!(entry instanceof ObjectNode object)
                        || !layer.digest()
                                .toString()
                                .equals(object.path("digest").asText())) {
                    throw new IOException("the stored manifest's layer " + i + " is not " + layer.digest());
                }
                object.put("mediaType", compressed.mediaType())
                        .put("digest", compressed.digest().toString())
                        .put("size", compressed.size());
            }
            if (rewritten != null) {
                push.manifest = mapper.writeValueAsBytes(rewritten);
            }
            return push;
        } catch (IOException | RuntimeException e) {
            push.close();
            throw e;
        }
    }

    /** The manifest to push: the stored bytes, or those naming the gzip copies. */
    byte[] manifest() {
        return manifest;
    }

    /** The layers to push, in the manifest's order. */
    List<PushBlob> layers() {
        return layers;
    }

    @Override
    public void close() throws IOException {
        for (Path file : temporary) {
            Files.deleteIfExists(file);
        }
    }
}
