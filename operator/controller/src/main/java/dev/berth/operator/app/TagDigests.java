package dev.berth.operator.app;

import dev.berth.image.reference.ImageReference;
import dev.berth.operator.image.ImageResolver;
import dev.berth.operator.image.ResolveFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tag → digest through the operator's one {@link ImageResolver}, with a short cache so that a burst of Apps on the
 * same tag (or an operator restart) asks the registry once, not once per App.
 */
public final class TagDigests {
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(1);

    private final ImageResolver resolver;
    private final Duration ttl;
    private final Clock clock;
    private final Map<ImageReference, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(String digest, Instant until) {}

    public TagDigests(ImageResolver resolver, Duration ttl, Clock clock) {
        this.resolver = resolver;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The digest the reference's tag points at now (an App names no pull secrets: asked anonymously). */
    public String digest(ImageReference ref, String namespace) throws ResolveFailure {
        Instant now = clock.instant();
        Cached cached = cache.get(ref);
        if (cached != null && now.isBefore(cached.until())) {
            return cached.digest();
        }
        String digest = resolver.digest(ref, namespace, List.of());
        cache.put(ref, new Cached(digest, now.plus(ttl)));
        return digest;
    }
}
