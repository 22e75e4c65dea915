package dev.berth.cri.fuzz;

import java.util.SplittableRandom;

/**
 * The fuzz's budget and seed, for CI and for repeating a run: each property runs {@code berth.fuzz.tries} (default
 * {@value #DEFAULT_TRIES}) times its share in percent, every choice drawn from a {@link SplittableRandom} seeded
 * from {@code berth.fuzz.seed} (default {@value #DEFAULT_SEED}, so that a CI run is repeatable and lands or fails
 * on the code alone; {@code random} explores afresh; printed at the start and in every failure). A property does
 * not stop at its first imprecise answer but collects them all (see {@link Ledger}) and fails once at its end.
 */
final class FuzzBudget {

    static final int DEFAULT_TRIES = 400;

    /** One try of a property: its choices come from {@code random}. */
    @FunctionalInterface
    interface Try {
        void run(SplittableRandom random) throws Exception;
    }

    /** What a property checks once its tries are done. */
    @FunctionalInterface
    interface Check {
        void run() throws Exception;
    }

    /** A seed whose run passed in CI; exploring with others is {@code -Dberth.fuzz.seed=random}'s job. */
    static final long DEFAULT_SEED = -5709752478866331938L;

    private final long seed;
    private final int tries;

    FuzzBudget(long seed, int tries) {
        this.seed = seed;
        this.tries = tries;
    }

    /** From {@code -Dberth.fuzz.seed} and {@code -Dberth.fuzz.tries}; prints the seed, so any run can be repeated. */
    static FuzzBudget fromSystemProperties(String suite) {
        String given = System.getProperty("berth.fuzz.seed", "").strip();
        long seed = given.isEmpty()
                ? DEFAULT_SEED
                : given.equals("random") ? new SplittableRandom().nextLong() : Long.parseLong(given);
        int tries = Integer.getInteger("berth.fuzz.tries", DEFAULT_TRIES);
        System.out.printf("fuzz: %s seed %d, tries %d (repeat with -Dberth.fuzz.seed=%d)%n", suite, seed, tries, seed);
        return new FuzzBudget(seed, tries);
    }

    long seed() {
        return seed;
    }

    /**
     * Runs {@code property} {@code share} percent of the tries, then {@code atEnd} (also when a try failed); a
     * failure names the property, the try and the seed. Each property draws from its own stream, derived from the
     * seed and its name, so that one property's choices do not depend on which others ran before it.
     */
    void check(String property, int share, Try each, Check atEnd) {
        SplittableRandom random = new SplittableRandom(seed ^ (property.hashCode() * 0x9E3779B97F4A7C15L));
        int count = Math.max(1, tries * share / 100);
        AssertionError failure = null;
        int i = 0;
        try {
            for (; i < count; i++) {
                each.run(random.split());
            }
        } catch (Throwable t) {
            failure = failed("%s: try %d of %d".formatted(property, i + 1, count), t);
        }
        try {
            atEnd.run();
        } catch (Throwable t) {
            AssertionError end = failed("%s after %d tries".formatted(property, i), t);
            if (failure == null) {
                failure = end;
            } else {
                failure.addSuppressed(end);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private AssertionError failed(String where, Throwable cause) {
        return new AssertionError(
                "%s failed; repeat with -Dberth.fuzz.seed=%d: %s".formatted(where, seed, cause.getMessage()), cause);
    }
}
