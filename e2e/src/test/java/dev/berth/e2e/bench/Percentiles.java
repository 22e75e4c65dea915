package dev.berth.e2e.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Median and p95 of a series of samples in milliseconds (nearest-rank, as latency reports use). */
public record Percentiles(int count, double median, double p95, double min, double max) {

    public static Percentiles of(List<Double> millis) {
        if (millis.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Percentiles(n, median, rank(sorted, 0.95), sorted.getFirst(), sorted.getLast());
    }

    private static double rank(List<Double> sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
