package dev.berth.daemon;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** Settings a reload of berth.yaml replaces while berthd runs; whoever holds one asks it for the current value. */
final class Reloadable<T> implements Supplier<T> {

    private final AtomicReference<T> current;

    Reloadable(T initial) {
        current = new AtomicReference<>(initial);
    }

    @Override
    public T get() {
        return current.get();
    }

    void set(T next) {
        current.set(next);
    }
}
