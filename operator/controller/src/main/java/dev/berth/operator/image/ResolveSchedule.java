package dev.berth.operator.image;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each Image is next looked up in the registry, and what the last look-up said. Reconciliations that
 * node agents' status reports trigger reuse the last answer instead of asking the registry again; a failure
 * is retried after 30 s, doubling up to 10 min, so a broken Image never hot-loops. Kept in memory: a new
 * leader resolves everything once, which is what it should do anyway.
 */
public final class ResolveSchedule {
    static final Duration FIRST_RETRY = Duration.ofSeconds(30);
    static final Duration MAX_RETRY = Duration.ofMinutes(10);

    /** What the last look-up of one Image said, for which spec, and when to ask again (null: on spec change only). */
    public record Entry(
            String specKey, ImageResolution resolution, ResolveFailure failure, int failures, Instant next) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** The last answer for this spec, unless it is time to ask the registry again. */
    public Optional<Entry> current(String uid, String specKey, Instant now) {
        Entry e = entries.get(uid);
        if (e == null || !e.specKey().equals(specKey) || (e.next() != null && !now.isBefore(e.next()))) {
            return Optional.empty();
        }
        return Optional.of(e);
    }

    public Entry succeeded(String uid, String specKey, ImageResolution resolution, Duration interval, Instant now) {
        Entry e = new Entry(specKey, resolution, null, 0, interval == null ? null : now.plus(interval));
        entries.put(uid, e);
        return e;
    }

    public Entry failed(String uid, String specKey, ResolveFailure failure, Instant now) {
        Entry previous = entries.get(uid);
        int failures = previous != null && previous.specKey().equals(specKey) && previous.failure() != null
                ? previous.failures() + 1
                : 1;
        Entry e = new Entry(specKey, null, failure, failures, now.plus(backoff(failures)));
        entries.put(uid, e);
        return e;
    }

    public void forget(String uid) {
        entries.remove(uid);
    }

    static Duration backoff(int failures) {
        Duration d = FIRST_RETRY;
        for (int i = 1; i < failures && d.compareTo(MAX_RETRY) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : d;
    }
}
