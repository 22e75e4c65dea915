package dev.berth.metrics;

/**
 * How long calls of one kind took, by their label values in the order the metric declares them: berthd records
 * them into a Prometheus histogram, components made outside the daemon (most tests) into {@link #NONE}.
 */
@FunctionalInterface
public interface CallDurations {

    CallDurations NONE = (nanos, labels) -> {};

    void observe(long nanos, String... labels);

    /** Observes the time since {@code startedNanos} ({@link System#nanoTime()}). */
    default void since(long startedNanos, String... labels) {
        observe(System.nanoTime() - startedNanos, labels);
    }
}
