package dev.berth.operator.app;

import dev.berth.image.reference.ImageReference;
import dev.berth.image.reference.InvalidReferenceException;
import dev.berth.operator.image.ResolveFailure;
import dev.berth.operator.model.App;
import dev.berth.operator.model.Image;
import dev.berth.operator.model.ImageStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides the image an App's pods run.
 * <ul>
 * <li>{@code imageRef}: the named Image's {@code status.digest}; it follows every new digest the Image
 * resolves to (the Image reconciler re-resolves every {@code updateInterval}).</li>
 * <li>{@code image} with a digest: as written.</li>
 * <li>{@code image} with a tag: pinned to the digest the tag points at when the App (or its image) is new,
 * and kept on that digest afterwards, so that pods of one App never run two builds of one tag. To follow a
 * moving tag, name an Image instead. When the registry cannot be asked (private image, registry down) the
 * pods run the tag, and the App says so.</li>
 * </ul>
 */
public final class AppImageResolver {
    private static final Logger log = LoggerFactory.getLogger(AppImageResolver.class);

    private final TagDigests tags;

    public AppImageResolver(TagDigests tags) {
        this.tags = tags;
    }

    public ImageChoice choose(App app, Optional<Image> referenced, Optional<Deployment> current) {
        String ref = app.getSpec().getImageRef();
        if (ref != null && !ref.isBlank()) {
            return fromImage(app, ref, referenced);
        }
        return fromSpec(app, app.getSpec().getImage(), current);
    }

    private static ImageChoice fromImage(App app, String name, Optional<Image> referenced) {
        String ns = app.getMetadata().getNamespace();
        if (referenced.isEmpty()) {
            return new ImageChoice.Blocked(
                    "ImageNotFound",
                    "Image '" + name + "' does not exist in namespace " + ns + ": create it (kubectl get images -n "
                            + ns + ") or correct spec.imageRef");
        }
        Image image = referenced.get();
        ImageStatus status = image.getStatus();
        if (status == null || status.getDigest() == null || status.getDigest().isBlank()) {
            String why = status == null ? null : resolvedMessage(status);
            return new ImageChoice.Blocked(
                    "ImageNotResolved",
                    "Image '" + name + "' (" + image.getSpec().getImage() + ") has no digest yet"
                            + (why == null ? "; waiting for the registry look-up" : ": " + why));
        }
        return new ImageChoice.Run(
                ImageChoice.pin(image.getSpec().getImage(), status.getDigest()), status.getDigest(), null);
    }

    private static String resolvedMessage(ImageStatus status) {
        if (status.getConditions() == null) {
            return null;
        }
        return status.getConditions().stream()
                .filter(c -> ImageStatus.RESOLVED.equals(c.getType()) && !"True".equals(c.getStatus()))
                .map(c -> c.getReason() + (c.getMessage() == null ? "" : ", " + c.getMessage()))
                .findFirst()
                .orElse(null);
    }

    private ImageChoice fromSpec(App app, String image, Optional<Deployment> current) {
        ImageReference ref;
        try {
            ref = ImageReference.parse(image);
        } catch (InvalidReferenceException e) {
            // AppSpecValidator has refused this spec already; stay total anyway.
            return new ImageChoice.Blocked(
                    "InvalidSpec", "image '" + image + "' is not a valid reference: " + e.getMessage());
        }
        if (ref.digest() != null) {
            return new ImageChoice.Run(image, ref.digest().toString(), null);
        }
        Optional<String> kept = current.flatMap(d -> keptPin(d, image));
        if (kept.isPresent()) {
            String pinned = kept.get();
            return new ImageChoice.Run(pinned, pinned.substring(pinned.indexOf('@') + 1), null);
        }
        try {
            String digest = tags.digest(ref, app.getMetadata().getNamespace());
            return new ImageChoice.Run(ImageChoice.pin(image, digest), digest, null);
        } catch (ResolveFailure e) {
            log.info(
                    "app {}/{}: running {} by tag, the registry look-up failed: {}",
                    app.getMetadata().getNamespace(),
                    app.getMetadata().getName(),
                    image,
                    e.getMessage());
            return new ImageChoice.Run(
                    image,
                    null,
                    "image " + image + " runs by tag, not pinned to a digest: the " + "registry look-up failed: "
                            + e.getMessage());
        }
    }

    /** The digest this Deployment already runs for the same spec.image, if it was pinned. */
    private static Optional<String> keptPin(Deployment deployment, String image) {
        var annotations = deployment.getMetadata().getAnnotations();
        if (annotations == null || !image.equals(annotations.get(DeploymentDependent.IMAGE_SOURCE_ANNOTATION))) {
            return Optional.empty();
        }
        var template =
                deployment.getSpec() == null ? null : deployment.getSpec().getTemplate();
        if (template == null || template.getSpec() == null || template.getSpec().getContainers() == null) {
            return Optional.empty();
        }
        return template.getSpec().getContainers().stream()
                .filter(c -> ContainerMapper.CONTAINER_NAME.equals(c.getName()))
                .map(c -> c.getImage())
                .filter(i -> i != null && i.contains("@sha256:"))
                .findFirst();
    }
}
