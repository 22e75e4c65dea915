package dev.berth.cgroup;

import java.util.Optional;

/** The translations from CRI's v1-shaped numbers to cgroup v2 file values, exactly as runc does them. */
final class CgroupV2Values {

    private CgroupV2Values() {}

    /** Shares [2, 262144] onto weight [1, 10000] linearly (runc's ConvertCPUSharesToCgroupV2Value); 1024 → 39. */
    static long cpuWeight(long shares) {
        return 1 + ((shares - 2) * 9999) / 262142;
    }

    /** "quota period", "max period", or without period when only the quota is set (the kernel keeps its period). */
    static Optional<String> cpuMax(long quota, long period) {
        if (quota == 0 && period == 0) {
            return Optional.empty();
        }
        String value = quota > 0 ? Long.toString(quota) : "max";
        return Optional.of(period > 0 ? value + " " + period : value);
    }

    /** memory.max; CRI's negative means unlimited. */
    static String memoryMax(long limit) {
        return limit < 0 ? "max" : Long.toString(limit);
    }

    /**
     * v1's memory+swap limit as v2's swap-only limit (runc's ConvertMemorySwapToCgroupV2Value).
     * Empty when not set; bad combinations are rejected, as the kernel could not express them.
     */
    static Optional<String> swapMax(long memorySwap, long memory) {
        if (memorySwap == 0) {
            return Optional.empty();
        }
        if (memorySwap < 0) {
            return Optional.of("max");
        }
        if (memory <= 0) {
            throw new IllegalArgumentException(
                    "memory+swap limit " + memorySwap + " cannot be set without a memory limit on cgroup v2");
        }
        if (memory > memorySwap) {
            throw new IllegalArgumentException(
                    "memory+swap limit " + memorySwap + " must be at least the memory limit " + memory);
        }
        return Optional.of(Long.toString(memorySwap - memory));
    }
}
