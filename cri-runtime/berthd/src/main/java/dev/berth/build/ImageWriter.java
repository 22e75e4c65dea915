package dev.berth.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.content.ContentDigestMismatchException;
import dev.berth.content.ContentStore;
import dev.berth.image.Digest;
import dev.berth.image.manifest.MediaTypes;
import dev.berth.imagestore.ImageRecord;
import dev.berth.imagestore.LayerRecord;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes a stage's result as an image: the config (with the build's --label values) and an OCI manifest into the
 * content store, and the record berthd keeps, ready to be tagged. The same stage gives the same bytes, so the same
 * digests.
 */
final class ImageWriter {

    private final ContentStore content;
    private final ObjectMapper json = new ObjectMapper();

    ImageWriter(ContentStore content) {
        this.content = content;
    }

    /** @param lease is handed the config and manifest digests before they are stored, to keep them from collection */
    ImageRecord write(StageImage image, Map<String, String> labels, long nowNanos, Consumer<List<String>> lease)
            throws IOException {
        if (!labels.isEmpty()) {
            ObjectNode node = image.runtime().with("Labels");
            labels.keySet().stream().sorted().forEach(key -> node.put(key, labels.get(key)));
        }
        byte[] config = json.writeValueAsBytes(image.json());
        Digest configDigest = Digest.sha256(config);
        ObjectNode manifest = json.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.putObject("config")
                .put("mediaType", MediaTypes.OCI_CONFIG)
                .put("digest", configDigest.toString())
                .put("size", config.length);
        ArrayNode layers = manifest.putArray("layers");
        long size = config.length;
        List<LayerRecord> records = image.layers();
        for (LayerRecord layer : records) {
            layers.addObject()
                    .put("mediaType", layer.mediaType())
                    .put("digest", layer.digest())
                    .put("size", layer.size());
            size += layer.size();
        }
        byte[] manifestBytes = json.writeValueAsBytes(manifest);
        Digest manifestDigest = Digest.sha256(manifestBytes);
        lease.accept(List.of(configDigest.toString(), manifestDigest.toString()));
        try {
            content.write(configDigest, config);
            content.write(manifestDigest, manifestBytes);
        } catch (ContentDigestMismatchException e) {
            throw new IllegalStateException("a digest computed here does not match its bytes", e);
        }
        String platform = image.json().path("os").asText("linux") + "/"
                + image.json().path("architecture").asText("amd64")
                + (image.json().path("variant").asText("").isEmpty()
                        ? ""
                        : "/" + image.json().path("variant").asText());
        return new ImageRecord(
                configDigest.toString(),
                List.of(),
                List.of(),
                manifestDigest.toString(),
                MediaTypes.OCI_MANIFEST,
                configDigest.toString(),
                records,
                size,
                platform,
                nowNanos);
    }
}
