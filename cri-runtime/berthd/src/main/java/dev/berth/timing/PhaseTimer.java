package dev.berth.timing;

import java.util.Locale;

/**
 * Times the phases of one pod or container operation for a single DEBUG line
 * ({@code ... phases ms: pin=1.20 cgroup=0.31 total=9.80}), which the pod-start benchmark reads back to
 * show where a pod start goes. Not thread-safe: one timer per operation, laps from one thread, except
 * {@link #record} which takes a duration measured elsewhere.
 */
public final class PhaseTimer {

    private final long start = System.nanoTime();
    private final StringBuilder phases = new StringBuilder();
    private long lapStart = start;

    /** Ends the phase running since the last lap (or the start) under {@code name}. */
    public void lap(String name) {
        long now = System.nanoTime();
        append(name, now - lapStart);
        lapStart = now;
    }

    /** Adds a phase timed by someone else (work that ran concurrently with the laps). */
    public synchronized void record(String name, long nanos) {
        append(name, nanos);
    }

    /** The phases so far and the total since this timer was made. */
    public synchronized String summary() {
        return phases + String.format(Locale.ROOT, "total=%.2f", (System.nanoTime() - start) / 1e6);
    }

    private synchronized void append(String name, long nanos) {
        phases.append(name)
                .append('=')
                .append(String.format(Locale.ROOT, "%.2f", nanos / 1e6))
                .append(' ');
    }
}
