package dev.berth.cli.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.cli.cri.Cri;
import dev.berth.cri.v1.Image;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.ImageStatusRequest;
import dev.berth.cri.v1.ImageStatusResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An image as the runtime knows it, with the image config from ImageStatus's verbose "info" (containerd and
 * berthd both put it under {@code imageSpec}): created time, entrypoint and cmd, layer diff IDs.
 */
public record ImageInfo(Image image, JsonNode info) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The image {@code reference} names, if the runtime has it. */
    public static Optional<ImageInfo> find(Cri cri, String reference) {
        ImageStatusResponse response = cri.call(
                "status of image " + reference,
                () -> cri.images()
                        .imageStatus(ImageStatusRequest.newBuilder()
                                .setImage(ImageSpec.newBuilder().setImage(reference))
                                .setVerbose(true)
                                .build()));
        if (!response.hasImage() || response.getImage().getId().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ImageInfo(response.getImage(), parse(response.getInfoOrDefault("info", "{}"))));
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    public Optional<Instant> created() {
        String created = info.path("imageSpec").path("created").asText("");
        try {
            return created.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(created));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }

    public List<String> entrypoint() {
        return strings(info.path("imageSpec").path("config").path("Entrypoint"));
    }

    public List<String> cmd() {
        return strings(info.path("imageSpec").path("config").path("Cmd"));
    }

    public List<String> layers() {
        return strings(info.path("imageSpec").path("rootfs").path("diff_ids"));
    }

    public String manifestDigest() {
        String digest = info.path("manifestDigest").asText("");
        if (digest.isEmpty() && !image.getRepoDigestsList().isEmpty()) {
            return ImageRef.parse(image.getRepoDigests(0)).digest();
        }
        return digest;
    }

    /** The 12 hex digits docker shows for an image ID. */
    public static String shortId(String id) {
        String hex = id.startsWith("sha256:") ? id.substring("sha256:".length()) : id;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        node.forEach(item -> values.add(item.asText()));
        return values;
    }
}
