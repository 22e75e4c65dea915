package dev.berth.stats;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CPU use in nanocores from two cumulative samples, as kubelet's summary API wants it; the first sample
 * of a cgroup has no rate.
 */
public final class CpuRates {

    private record Sample(long timestampNanos, long usageNanos) {}

    private final Map<String, Sample> last = new ConcurrentHashMap<>();

    /** @return nanocores since the previous sample of {@code key}, or -1 when there is none */
    public long rate(String key, long timestampNanos, long usageNanos) {
        Sample previous = last.put(key, new Sample(timestampNanos, usageNanos));
        if (previous == null || timestampNanos <= previous.timestampNanos() || usageNanos < previous.usageNanos()) {
            return -1;
        }
        return (usageNanos - previous.usageNanos()) * 1_000_000_000L / (timestampNanos - previous.timestampNanos());
    }

    public void forget(String key) {
        last.remove(key);
    }

    int size() {
        return last.size();
    }
}
