package dev.berth.cli.grpc;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a call's listener callbacks one at a time and in order, on the executor the call names: a blocking stub's
 * waits in that executor's queue for them (grpc-stub's ThreadlessExecutor). As grpc-core's SerializingExecutor.
 */
final class SerializingExecutor implements Executor {

    private static final System.Logger LOG = System.getLogger(SerializingExecutor.class.getName());

    private final Executor delegate;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();

    SerializingExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        schedule();
    }

    private void schedule() {
        if (running.compareAndSet(false, true)) {
            try {
                delegate.execute(this::drain);
            } catch (RuntimeException e) {
                running.set(false);
                throw e;
            }
        }
    }

    private void drain() {
        try {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    // a listener's failure must not stop the call's later callbacks, its onClose above all
                    LOG.log(System.Logger.Level.WARNING, "a gRPC listener failed", e);
                }
            }
        } finally {
            running.set(false);
        }
        if (!tasks.isEmpty()) {
            schedule();
        }
    }
}
