package dev.berth.operator.app;

import dev.berth.image.manifest.Platform;
import dev.berth.image.reference.ImageReference;
import dev.berth.image.reference.InvalidReferenceException;
import dev.berth.image.registry.RegistryClient;
import dev.berth.image.registry.RegistryCredentials;
import dev.berth.image.registry.RegistryException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tag → digest through the shared registry client, with a short cache so that a burst of Apps on the same
 * tag (or an operator restart) asks the registry once, not once per App.
 */
public final class TagDigests {
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(1);

    private final RegistryClient registry;
    private final Platform platform;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(String digest, Instant until) {}

    public TagDigests(RegistryClient registry, Platform platform, Duration ttl, Clock clock) {
        this.registry = registry;
        this.platform = platform;
        this.ttl = ttl;
        this.clock = clock;
    }

    /**
     * The digest the reference's tag points at now: the repo digest (an index's own digest for a
     * multi-platform image), so that pods pinned to it still run on nodes of any listed platform.
     */
    public String digest(String image) throws RegistryException, InvalidReferenceException {
        Instant now = clock.instant();
        Cached cached = cache.get(image);
        if (cached != null && now.isBefore(cached.until())) {
            return cached.digest();
        }
        ImageReference ref = ImageReference.parse(image);
        String digest = registry.resolve(ref, RegistryCredentials.NONE, platform)
                .digest()
                .toString();
        cache.put(image, new Cached(digest, now.plus(ttl)));
        return digest;
    }
}
