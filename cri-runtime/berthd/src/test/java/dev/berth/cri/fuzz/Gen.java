package dev.berth.cri.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A value drawn from a seeded random source: the fuzz's whole vocabulary of choice (one of, weighted, ranges,
 * strings, lists), so that one {@link FuzzBudget} seed repeats every choice of a run.
 */
@FunctionalInterface
interface Gen<T> {

    T next(SplittableRandom random);

    default <R> Gen<R> map(Function<? super T, ? extends R> f) {
        return random -> f.apply(next(random));
    }

    default <R> Gen<R> flatMap(Function<? super T, Gen<R>> f) {
        return random -> f.apply(next(random)).next(random);
    }

    /** {@code min} to {@code max} values, each drawn anew. */
    default Gen<List<T>> list(int min, int max) {
        return random -> {
            int n = random.nextInt(min, max + 1);
            List<T> values = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                values.add(next(random));
            }
            return values;
        };
    }

    static <T> Gen<T> just(T value) {
        return random -> value;
    }

    @SafeVarargs
    static <T> Gen<T> of(T... values) {
        return of(List.of(values));
    }

    static <T> Gen<T> of(List<T> values) {
        List<T> copy = List.copyOf(values);
        return random -> copy.get(random.nextInt(copy.size()));
    }

    @SafeVarargs
    static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
        return random -> gens[random.nextInt(gens.length)].next(random);
    }

    /** A weight and a generator, for {@link #frequency}. */
    record Weighted<T>(int weight, Gen<? extends T> gen) {}

    static <T> Weighted<T> weight(int weight, Gen<? extends T> gen) {
        return new Weighted<>(weight, gen);
    }

    @SafeVarargs
    static <T> Gen<T> frequency(Weighted<? extends T>... choices) {
        int total = 0;
        for (Weighted<? extends T> choice : choices) {
            total += choice.weight();
        }
        int sum = total;
        return random -> {
            int pick = random.nextInt(sum);
            for (Weighted<? extends T> choice : choices) {
                pick -= choice.weight();
                if (pick < 0) {
                    return choice.gen().next(random);
                }
            }
            throw new IllegalStateException("unreachable: weights sum to " + sum);
        };
    }

    /** {@code min} to {@code max}, both included. */
    static Gen<Integer> between(int min, int max) {
        return random -> random.nextInt(min, max + 1);
    }

    static Gen<Long> longs() {
        return SplittableRandom::nextLong;
    }

    static Gen<byte[]> bytes(int min, int max) {
        return random -> {
            byte[] bytes = new byte[random.nextInt(min, max + 1)];
            random.nextBytes(bytes);
            return bytes;
        };
    }

    /** {@code min} to {@code max} chars, each from {@code chars}. */
    static Gen<String> strings(int min, int max, Gen<Character> chars) {
        return random -> {
            int n = random.nextInt(min, max + 1);
            StringBuilder s = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                s.append(chars.next(random).charValue());
            }
            return s.toString();
        };
    }

    /** Any UTF-16 unit, lone surrogates included. */
    static Gen<Character> anyChar() {
        return random -> (char) random.nextInt(Character.MAX_VALUE + 1);
    }

    /** Any char outside the surrogate range. */
    static Gen<Character> bmpChar() {
        return random -> {
            int c = random.nextInt(0xF800);
            return (char) (c < Character.MIN_SURROGATE ? c : c + 0x800);
        };
    }

    static Gen<Character> asciiChar() {
        return random -> (char) random.nextInt(128);
    }

    static Gen<Character> charsOf(String chars) {
        return random -> chars.charAt(random.nextInt(chars.length()));
    }
}
