package dev.berth.image.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.image.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses manifests and indexes. The body's own mediaType wins over the HTTP Content-Type; with
 * neither, the shape decides (a {@code manifests} array is an index).
 */
public final class ManifestParser {

    private final ObjectMapper mapper = new ObjectMapper();

    public ParsedManifest parse(byte[] body, String contentType) throws UnsupportedManifestException {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("manifest is not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("manifest is not a JSON object");
        }
        String mediaType = root.path("mediaType").asText("");
        if (mediaType.isEmpty() && contentType != null) {
            mediaType = contentType.split(";")[0].trim();
        }
        if (MediaTypes.isSchema1(mediaType) || root.path("schemaVersion").asInt() == 1) {
            throw new UnsupportedManifestException(
                    "Docker schema 1 manifests are not supported (deprecated since 2017); "
                            + "push the image again with a current client to get a schema 2 or OCI manifest");
        }
        boolean index = MediaTypes.isIndex(mediaType)
                || (!MediaTypes.isManifest(mediaType) && root.path("manifests").isArray());
        if (index) {
            List<Descriptor> manifests = new ArrayList<>();
            root.path("manifests").forEach(m -> manifests.add(descriptor(m)));
            return new ImageIndex(mediaType.isEmpty() ? MediaTypes.OCI_INDEX : mediaType, manifests);
        }
        if (!root.path("config").isObject() || !root.path("layers").isArray()) {
            throw new UnsupportedManifestException(
                    "manifest of media type '" + mediaType + "' has no config and layers");
        }
        List<Descriptor> layers = new ArrayList<>();
        root.path("layers").forEach(l -> layers.add(descriptor(l)));
        return new ImageManifest(
                mediaType.isEmpty() ? MediaTypes.OCI_MANIFEST : mediaType, descriptor(root.path("config")), layers);
    }

    private static Descriptor descriptor(JsonNode node) {
        if (!node.path("digest").isTextual()) {
            throw new IllegalArgumentException("descriptor without digest: " + node);
        }
        JsonNode p = node.get("platform");
        Platform platform = p == null || !p.isObject()
                ? null
                : new Platform(
                        p.path("os").asText(""),
                        p.path("architecture").asText(""),
                        p.hasNonNull("variant") ? p.get("variant").asText() : null);
        Map<String, String> annotations = new LinkedHashMap<>();
        node.path("annotations")
                .fields()
                .forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
        long size = node.path("size").asLong(-1);
        if (size < 0) {
            throw new IllegalArgumentException(
                    "descriptor " + node.path("digest").asText() + " has no valid size");
        }
        return new Descriptor(
                node.path("mediaType").asText(""),
                Digest.parse(node.path("digest").asText()),
                size,
                platform,
                annotations);
    }
}
