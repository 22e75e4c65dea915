package dev.berth.stats;

import java.util.List;

/**
 * One value of a metric, its label values in the order of its descriptor's label keys.
 *
 * @param counter cumulative (a Prometheus counter) rather than a gauge
 * @param timestampNanos when the value was read
 */
public record MetricSample(String name, boolean counter, List<String> labelValues, long value, long timestampNanos) {

    public MetricSample {
        labelValues = List.copyOf(labelValues);
    }
}
