package dev.berth.imagestore;

/**
 * Whoever waits for a pull, as far as the pull needs to know: it tells when it has gone (a gRPC client that
 * cancelled or passed its deadline), so a pull nobody waits for any more can stop.
 */
@FunctionalInterface
public interface Caller {

    /** A caller that never leaves early. */
    Caller PATIENT = leave -> {};

    /** Runs {@code leave} once when this caller has gone, at once if it already has. */
    void whenGone(Runnable leave);
}
