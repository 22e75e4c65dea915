package dev.berth.runtime;

import java.util.Optional;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;

/**
 * The sizes a client's resize channel sends, in order, to whoever applies them to a terminal. Only the
 * newest size matters, so a backlog collapses to it; closing (the stream ended) wakes the reader for good.
 */
public final class TerminalSizeQueue {

    private static final Object CLOSED = new Object();

    private final LinkedBlockingDeque<Object> sizes = new LinkedBlockingDeque<>();

    public void offer(TerminalSize size) {
        synchronized (sizes) {
            if (sizes.peekLast() == CLOSED) {
                return;
            }
            sizes.clear();
            sizes.addLast(size);
        }
    }

    public void close() {
        synchronized (sizes) {
            sizes.clear();
            sizes.addLast(CLOSED);
        }
    }

    /** Blocks for the next size; empty once the stream has ended. */
    public Optional<TerminalSize> next() throws InterruptedException {
        Object next = sizes.takeFirst();
        if (next == CLOSED) {
            sizes.addFirst(CLOSED);
            return Optional.empty();
        }
        return Optional.of((TerminalSize) next);
    }

    /** Like {@link #next()} but gives up after {@code millis}; empty on timeout or end. */
    public Optional<TerminalSize> poll(long millis) throws InterruptedException {
        Object next = sizes.pollFirst(millis, TimeUnit.MILLISECONDS);
        if (next == null) {
            return Optional.empty();
        }
        if (next == CLOSED) {
            sizes.addFirst(CLOSED);
            return Optional.empty();
        }
        return Optional.of((TerminalSize) next);
    }
}
