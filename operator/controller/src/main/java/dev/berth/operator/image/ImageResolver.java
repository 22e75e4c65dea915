package dev.berth.operator.image;

import dev.berth.image.manifest.ImageConfig;
import dev.berth.image.manifest.Platform;
import dev.berth.image.reference.ImageReference;
import dev.berth.image.reference.InvalidReferenceException;
import dev.berth.image.registry.RegistryClient;
import dev.berth.image.registry.RegistryCredentials;
import dev.berth.image.registry.RegistryException;
import dev.berth.image.registry.ResolvedImage;
import java.time.Clock;
import java.util.List;

/** Turns {@code spec.image} into a digest, platforms and size through the registry client berthd pulls with. */
public final class ImageResolver {
    private final RegistryClient registry;
    private final Platform platform;
    private final Clock clock;

    /** @param platform whose manifest in an index gives the size (the operator host's) */
    public ImageResolver(RegistryClient registry, Platform platform, Clock clock) {
        this.registry = registry;
        this.platform = platform;
        this.clock = clock;
    }

    /** The registry host of a reference, to pick credentials for; fails like {@link #resolve} on a bad reference. */
    public static String registryHost(String image) throws ResolveFailure {
        return parse(image).registry();
    }

    public ImageResolution resolve(String image, RegistryCredentials credentials) throws ResolveFailure {
        ImageReference ref = parse(image);
        try {
            ResolvedImage resolved = registry.resolve(ref, credentials, platform);
            List<String> platforms = resolved.platforms().stream()
                    .map(Platform::toString)
                    .distinct()
                    .toList();
            if (platforms.isEmpty()) {
                // A single-platform image names its platform only in its config.
                ImageConfig config = ImageConfig.parse(
                        registry.fetchBlob(resolved, resolved.manifest().config(), credentials));
                platforms = List.of(new Platform(config.os(), config.architecture(), config.variant()).toString());
            }
            return new ImageResolution(resolved.digest().toString(), platforms, resolved.size(), clock.instant());
        } catch (RegistryException e) {
            throw new ResolveFailure(reason(e.reason()), e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new ResolveFailure(
                    ResolveFailure.REGISTRY_ERROR, "image config of " + ref + " is invalid: " + e.getMessage(), e);
        }
    }

    private static ImageReference parse(String image) throws ResolveFailure {
        try {
            return ImageReference.parse(image);
        } catch (InvalidReferenceException e) {
            throw new ResolveFailure(ResolveFailure.INVALID_REFERENCE, e.getMessage(), e);
        }
    }

    private static String reason(RegistryException.Reason reason) {
        return switch (reason) {
            case NOT_FOUND -> ResolveFailure.NOT_FOUND;
            case UNAUTHORIZED, DENIED -> ResolveFailure.UNAUTHORIZED;
            case UNREACHABLE -> ResolveFailure.UNREACHABLE;
            case UNSUPPORTED, INVALID, DIGEST_MISMATCH, TOO_MANY_REQUESTS, SERVER_ERROR ->
                ResolveFailure.REGISTRY_ERROR;
        };
    }
}
