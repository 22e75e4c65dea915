package dev.berth.store;

import java.time.Instant;

/** CRI timestamps: nanoseconds since the epoch, at the clock's full resolution. */
public final class Timestamps {

    private Timestamps() {}

    public static long nowNanos() {
        return nanos(Instant.now());
    }

    public static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
