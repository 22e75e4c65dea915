package dev.berth.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.content.ContentStore;
import dev.berth.image.Digest;
import dev.berth.image.manifest.Platform;
import dev.berth.image.reference.ImageReference;
import dev.berth.image.reference.InvalidReferenceException;
import dev.berth.imagestore.ImageRecord;
import dev.berth.imagestore.ImageService;
import dev.berth.imagestore.LayerRecord;
import dev.berth.imagestore.Leases;
import dev.berth.imagestore.PullException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The images FROM and {@code COPY --from} name: one in berthd's store, else pulled through the same shared pull as
 * PullImage with the build's credentials; {@code scratch} is the empty image. Each one found is leased to the build,
 * so removing it meanwhile does not take its layers away.
 */
final class BaseImages {

    static final String SCRATCH = "scratch";

    private final ImageService images;
    private final ContentStore content;
    private final Leases leases;
    private final Platform node;
    private final ObjectMapper json = new ObjectMapper();

    BaseImages(ImageService images, ContentStore content, Leases leases, Platform node) {
        this.images = images;
        this.content = content;
        this.leases = leases;
        this.node = node;
    }

    /** A base: its image ID ("scratch" for none), its config and its layers. */
    record Base(String imageId, ObjectNode config, List<LayerRecord> layers) {}

    Base resolve(BuildContextRun run, String reference, String platform)
            throws BuildException, PullException, IOException {
        checkPlatform(platform);
        if (reference.equalsIgnoreCase(SCRATCH)) {
            ObjectNode config = json.createObjectNode();
            config.put("architecture", node.architecture());
            config.put("os", node.os());
            if (node.variant() != null && !node.variant().isEmpty()) {
                config.put("variant", node.variant());
            }
            return new Base(SCRATCH, config, List.of());
        }
        ImageRecord image = find(run, reference);
        List<String> leased = new ArrayList<>();
        leased.add(image.configDigest());
        image.layers().forEach(layer -> {
            leased.add(layer.digest());
            leased.add(layer.chainId());
        });
        run.hold(leases.acquire(leased));
        byte[] config = content.read(Digest.parse(image.configDigest()))
                .orElseThrow(() -> new IOException("config of " + image.id() + " is missing"));
        ObjectNode parsed = (ObjectNode) json.readTree(config);
        // what docker's classic builder wrote about the build container does not describe the new image
        parsed.remove(List.of("container", "container_config", "docker_version"));
        return new Base(image.id(), parsed, image.layers());
    }

    private ImageRecord find(BuildContextRun run, String reference) throws BuildException, PullException, IOException {
        Optional<ImageRecord> local = images.find(reference);
        if (local.isPresent()) {
            return local.get();
        }
        String registry;
        try {
            registry = ImageReference.parse(reference).registry();
        } catch (InvalidReferenceException e) {
            throw new BuildException(
                    BuildException.Kind.INVALID, "invalid image name \"" + reference + "\": " + e.getMessage(), e);
        }
        try {
            return images.pull(
                    reference,
                    run.request().credentials().apply(registry),
                    run.caller(),
                    watch -> run.events().pulling(watch));
        } catch (InvalidReferenceException e) {
            throw new BuildException(BuildException.Kind.INVALID, e.getMessage(), e);
        } finally {
            run.events().pulled();
        }
    }

    private void checkPlatform(String platform) throws BuildException {
        if (platform == null || platform.isEmpty()) {
            return;
        }
        String[] parts = platform.split("/");
        boolean matches = parts.length >= 2
                && parts[0].equals(node.os())
                && parts[1].equals(node.architecture())
                && (parts.length < 3
                        || node.variant() == null
                        || node.variant().isEmpty()
                        || parts[2].equals(node.variant()));
        if (!matches) {
            throw new BuildException(
                    BuildException.Kind.INVALID,
                    "--platform=" + platform + " is not this node's platform (" + node
                            + "): berthd builds only for the platform it runs on");
        }
    }
}
