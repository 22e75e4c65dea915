package dev.berth.streaming;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Single-use tokens for streaming URLs: a token names one request, is good for one connection and expires
 * after {@link #TTL}, as kubelet's streaming request cache does. The number of requests waiting for their
 * client is bounded, so a caller that asks for URLs and never uses them cannot make berthd run out of memory.
 */
public final class StreamTokens {

    public static final Duration TTL = Duration.ofMinutes(1);
    /** kubelet's streaming server allows as many in flight; containerd and CRI-O use the same. */
    public static final int MAX_IN_FLIGHT = 1000;

    private static final int TOKEN_BYTES = 32;

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Pending> pending = new LinkedHashMap<>();

    private record Pending(StreamRequest request, Instant expires) {}

    public StreamTokens(Clock clock) {
        this.clock = clock;
    }

    /** Fails with {@link TooManyStreamRequestsException} when {@link #MAX_IN_FLIGHT} unused tokens are live. */
    public synchronized String issue(StreamRequest request) throws TooManyStreamRequestsException {
        Instant now = clock.instant();
        evictExpired(now);
        if (pending.size() >= MAX_IN_FLIGHT) {
            throw new TooManyStreamRequestsException("too many streaming requests in flight (" + MAX_IN_FLIGHT
                    + "); each expires " + TTL.toSeconds() + " s after it was made");
        }
        String token;
        do {
            byte[] bytes = new byte[TOKEN_BYTES];
            random.nextBytes(bytes);
            token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        } while (pending.containsKey(token));
        pending.put(token, new Pending(request, now.plus(TTL)));
        return token;
    }

    /** The request behind {@code token}, which is used up by this call; empty when unknown, used or expired. */
    public synchronized Optional<StreamRequest> consume(String token) {
        Pending found = pending.remove(token);
        if (found == null || !clock.instant().isBefore(found.expires())) {
            return Optional.empty();
        }
        return Optional.of(found.request());
    }

    public synchronized int inFlight() {
        evictExpired(clock.instant());
        return pending.size();
    }

    /** Insertion order is expiry order: every token lives for the same TTL. */
    private void evictExpired(Instant now) {
        Iterator<Pending> it = pending.values().iterator();
        while (it.hasNext() && !now.isBefore(it.next().expires())) {
            it.remove();
        }
    }
}
