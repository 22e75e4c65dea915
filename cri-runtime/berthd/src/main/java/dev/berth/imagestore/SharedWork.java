package dev.berth.imagestore;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Work done once per key however many callers ask for it at the same time, and only as long as one of them
 * still waits: each caller holds a {@link Share}; when the last one leaves before the work is done, the work is
 * interrupted and forgotten, so whoever asks next starts it afresh instead of joining what was abandoned. Each run
 * has a companion (its progress, say) made with it and handed to every caller that joins it.
 */
final class SharedWork<K, C, V> {

    interface Work<V> {
        V call() throws Exception;
    }

    private final ExecutorService executor;
    private final Map<K, Running> running = new HashMap<>();

    SharedWork(ExecutorService executor) {
        this.executor = executor;
    }

    /**
     * Joins the work running for {@code key}, or starts the work {@code work} makes of a fresh {@code companion}.
     */
    synchronized Share join(K key, Supplier<C> companion, Function<C, Work<V>> work) {
        Running current = running.get(key);
        if (current == null) {
            Running started = new Running(companion.get());
            Work<V> mine = work.apply(started.companion);
            started.task = executor.submit(() -> run(key, started, mine));
            running.put(key, started);
            current = started;
        }
        current.callers++;
        return new Share(current);
    }

    private void run(K key, Running mine, Work<V> work) {
        try {
            mine.result.complete(work.call());
        } catch (Throwable e) {
            mine.result.completeExceptionally(e);
        } finally {
            synchronized (this) {
                running.remove(key, mine);
            }
        }
    }

    private synchronized void release(Running work) {
        if (work.result.isDone() || --work.callers > 0) {
            return;
        }
        running.values().remove(work);
        work.result.completeExceptionally(new CancellationException("every caller has gone"));
        work.task.cancel(true);
    }

    private final class Running {
        private final C companion;
        private final CompletableFuture<V> result = new CompletableFuture<>();
        private Future<?> task;
        private int callers;

        private Running(C companion) {
            this.companion = companion;
        }
    }

    /** One caller's hold on the work; leaving wakes only this caller's {@link #await()}. */
    final class Share {
        private final Running work;
        private final CompletableFuture<V> mine = new CompletableFuture<>();
        private boolean left;

        private Share(Running work) {
            this.work = work;
            work.result.whenComplete((value, failure) -> {
                if (failure == null) {
                    mine.complete(value);
                } else {
                    mine.completeExceptionally(failure);
                }
            });
        }

        /** The companion of the run this caller joined. */
        C companion() {
            return work.companion;
        }

        /** @throws CancellationException when this caller left (or every caller did) */
        V await() throws ExecutionException, InterruptedException {
            return mine.get();
        }

        /** Idempotent; a no-op once the work is done. */
        void leave() {
            synchronized (SharedWork.this) {
                if (left) {
                    return;
                }
                left = true;
                release(work);
            }
            mine.completeExceptionally(new CancellationException("the caller has gone"));
        }
    }
}
