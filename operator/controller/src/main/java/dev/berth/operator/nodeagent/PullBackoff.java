package dev.berth.operator.nodeagent;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a failed pull of an Image may be tried again on this node: 30 s after the first failure, doubling up to
 * 10 min, and at once when the Image names something else to pull. Other agents' status writes trigger
 * reconciliations; without this each would retry the failing pull.
 */
public final class PullBackoff {
    static final Duration FIRST = Duration.ofSeconds(30);
    static final Duration MAX = Duration.ofMinutes(10);

    private record Failure(String target, int count, Instant next) {}

    private final Map<String, Failure> failures = new ConcurrentHashMap<>();

    /** How long to wait before pulling {@code target} again, empty when a pull may start now. */
    public Optional<Duration> wait(String uid, String target, Instant now) {
        Failure f = failures.get(uid);
        if (f == null || !f.target().equals(target) || !now.isBefore(f.next())) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, f.next()));
    }

    /** Records a failure; returns the delay until the next attempt. */
    public Duration failed(String uid, String target, Instant now) {
        Failure previous = failures.get(uid);
        int count = previous != null && previous.target().equals(target) ? previous.count() + 1 : 1;
        Duration delay = FIRST;
        for (int i = 1; i < count && delay.compareTo(MAX) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        delay = delay.compareTo(MAX) > 0 ? MAX : delay;
        failures.put(uid, new Failure(target, count, now.plus(delay)));
        return delay;
    }

    public void succeeded(String uid) {
        failures.remove(uid);
    }
}
