package dev.berth.store;

import dev.berth.timing.PhaseTimer;
import java.io.IOException;

/**
 * The steps of a teardown, each run even when an earlier one failed (every kind of exception), so that one
 * stuck piece (a CNI DEL that errors, a mount that will not go away) does not leave the others behind, and a
 * retry has only that piece left to do. {@link #finish} then throws the first failure, the rest suppressed.
 * Each step is timed, for the teardown's DEBUG phases line ({@link #phases}).
 */
public final class CleanupSteps {

    /** One step; it may throw anything. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    private final PhaseTimer timer = new PhaseTimer();
    private IOException failure;

    /** Runs the step; returns whether it succeeded. */
    public boolean run(String what, Step step) {
        long started = System.nanoTime();
        try {
            step.run();
            timer.record(phaseName(what), System.nanoTime() - started);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            add(new IOException(what + ": interrupted", e));
        } catch (Exception e) {
            add(e instanceof IOException io ? io : new IOException(what + ": " + e, e));
        }
        return false;
    }

    private void add(IOException e) {
        if (failure == null) {
            failure = e;
        } else {
            failure.addSuppressed(e);
        }
    }

    /** The step's words before any path it names ({@code pod cgroup /berth/…}), joined by dashes. */
    private static String phaseName(String what) {
        int slash = what.indexOf('/');
        return (slash < 0 ? what : what.substring(0, slash)).strip().replaceAll("[^A-Za-z0-9]+", "-");
    }

    /** {@code step=ms …} of the steps that succeeded, and the total since the first. */
    public String phases() {
        return timer.summary();
    }

    public boolean failed() {
        return failure != null;
    }

    /** @throws IOException the first step's failure, with every later one suppressed */
    public void finish() throws IOException {
        if (failure != null) {
            throw failure;
        }
    }

    /** A one-line account of a failure and what it suppressed, for a record's error field and logs. */
    public static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage() == null ? e : e.getMessage()));
        for (Throwable more : e.getSuppressed()) {
            text.append("; ").append(more.getMessage() == null ? more : more.getMessage());
        }
        return text.toString();
    }
}
