package dev.berth.cli.image;

import dev.berth.cli.cri.Cri;
import dev.berth.cli.format.Json;
import dev.berth.cri.v1.Image;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.ImageStatusRequest;
import dev.berth.cri.v1.ImageStatusResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An image as the runtime knows it, with the image config from ImageStatus's verbose "info" (containerd and
 * berthd both put it under {@code imageSpec}): created time, entrypoint and cmd, layer diff IDs.
 *
 * @param info the verbose info as {@link Json} reads it; empty when the runtime gave none or no JSON
 */
public record ImageInfo(Image image, Map<?, ?> info) {

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

    /** An object's members; empty for anything else, or text that is no JSON (what a runtime's info may be). */
    public static Map<?, ?> parse(String json) {
        try {
            return Json.parse(json) instanceof Map<?, ?> object ? object : Map.of();
        } catch (IllegalArgumentException e) {
            return Map.of();
        }
    }

    public Optional<Instant> created() {
        String created = Json.text(Json.path(info, "imageSpec", "created"));
        try {
            return created.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(created));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }

    public List<String> entrypoint() {
        return Json.strings(Json.path(info, "imageSpec", "config", "Entrypoint"));
    }

    public List<String> cmd() {
        return Json.strings(Json.path(info, "imageSpec", "config", "Cmd"));
    }

    public List<String> layers() {
        return Json.strings(Json.path(info, "imageSpec", "rootfs", "diff_ids"));
    }

    public String manifestDigest() {
        String digest = Json.text(Json.path(info, "manifestDigest"));
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
}
