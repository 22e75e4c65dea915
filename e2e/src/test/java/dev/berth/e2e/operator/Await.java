package dev.berth.e2e.operator;

import java.time.Duration;
import java.util.function.Supplier;

/** Bounded waits on an eventually consistent API: every timeout names what was awaited and what was last seen. */
public final class Await {
    private static final long POLL_MILLIS = 100;

    private Await() {}

    /**
     * Polls {@code check} until it returns null (done) or the timeout passes; a non-null result describes what is
     * still missing and ends up in the failure message. Exceptions count as "not yet" and are reported likewise.
     */
    public static void until(String what, Duration timeout, Supplier<String> check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "never checked";
        while (true) {
            try {
                last = check.get();
                if (last == null) {
                    return;
                }
            } catch (RuntimeException e) {
                last = "check failed: " + e;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "timed out after " + timeout.toSeconds() + " s waiting for " + what + "; last seen: " + last);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
