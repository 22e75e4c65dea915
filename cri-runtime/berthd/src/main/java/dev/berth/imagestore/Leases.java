package dev.berth.imagestore;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Keeps garbage collection away from blobs and snapshots that a pull in progress is about to use or
 * has just written but not yet recorded. Taking a lease and collecting garbage exclude each other, so
 * a pull that finds a snapshot present after leasing it can rely on it staying.
 */
public final class Leases {

    private final Map<String, Integer> held = new HashMap<>();

    public synchronized Lease acquire(Collection<String> keys) {
        for (String key : keys) {
            held.merge(key, 1, Integer::sum);
        }
        return new Lease(Set.copyOf(keys));
    }

    /** Runs {@code collector} while no lease can be taken; it is told which keys are leased. */
    public synchronized void whileExclusive(java.util.function.Consumer<Predicate<String>> collector) {
        collector.accept(held::containsKey);
    }

    private synchronized void release(Set<String> keys) {
        for (String key : keys) {
            held.computeIfPresent(key, (k, count) -> count == 1 ? null : count - 1);
        }
    }

    public final class Lease implements AutoCloseable {

        private final Set<String> keys;
        private boolean released;

        private Lease(Set<String> keys) {
            this.keys = keys;
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                release(keys);
            }
        }
    }
}
