package dev.berth.operator.image;

import dev.berth.image.manifest.ImageConfig;
import dev.berth.image.manifest.Platform;
import dev.berth.image.reference.ImageReference;
import dev.berth.image.registry.RegistryClient;
import dev.berth.image.registry.RegistryException;
import dev.berth.image.registry.ResolvedImage;
import java.time.Clock;
import java.util.List;

/**
 * The operator's one way to ask a registry about an image, for Image resources and App tags alike: one registry
 * client (berthd's, with the operator's mirrors and plain-HTTP settings), the caller's pull secrets turned into
 * credentials as kubelet picks them, and the registry's refusals turned into {@link ResolveFailure} reasons.
 */
public final class ImageResolver {
    private final RegistryClient registry;
    private final PullSecrets pullSecrets;
    private final Platform platform;
    private final Clock clock;

    /** @param platform whose manifest in an index gives the size (the operator host's) */
    public ImageResolver(RegistryClient registry, PullSecrets pullSecrets, Platform platform, Clock clock) {
        this.registry = registry;
        this.pullSecrets = pullSecrets;
        this.platform = platform;
        this.clock = clock;
    }

    /**
     * Digest, platforms and size of {@code ref}, asked with the credentials {@code secretNames} (Secrets in
     * {@code namespace}) hold for its registry; a refusal names what was wrong with the secrets.
     */
    public ImageResolution resolve(ImageReference ref, String namespace, List<String> secretNames)
            throws ResolveFailure {
        PullCredentials credentials = pullSecrets.forRegistry(namespace, secretNames, ref.registry());
        try {
            ResolvedImage resolved = registry.resolve(ref, credentials.credentials(), platform);
            List<String> platforms = resolved.platforms().stream()
                    .map(Platform::toString)
                    .distinct()
                    .toList();
            if (platforms.isEmpty()) {
                // A single-platform image names its platform only in its config.
                ImageConfig config = ImageConfig.parse(
                        registry.fetchBlob(resolved, resolved.manifest().config(), credentials.credentials()));
                platforms = List.of(new Platform(config.os(), config.architecture(), config.variant()).toString());
            }
            return new ImageResolution(resolved.digest().toString(), platforms, resolved.size(), clock.instant());
        } catch (RegistryException e) {
            throw new ResolveFailure(reason(e.reason()), e.getMessage() + credentials.explanation(), e);
        } catch (IllegalArgumentException e) {
            throw new ResolveFailure(
                    ResolveFailure.REGISTRY_ERROR, "image config of " + ref + " is invalid: " + e.getMessage(), e);
        }
    }

    /**
     * The repo digest the tag points at now (an index's own digest for a multi-platform image, so that pods pinned
     * to it run on nodes of any listed platform), without the config look-up {@link #resolve} makes.
     */
    public String digest(ImageReference ref, String namespace, List<String> secretNames) throws ResolveFailure {
        PullCredentials credentials = pullSecrets.forRegistry(namespace, secretNames, ref.registry());
        try {
            return registry.resolve(ref, credentials.credentials(), platform)
                    .digest()
                    .toString();
        } catch (RegistryException e) {
            throw new ResolveFailure(reason(e.reason()), e.getMessage() + credentials.explanation(), e);
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
