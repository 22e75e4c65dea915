package dev.berth.cgroup;

/**
 * One reading of a cgroup's usage. The working set is kubelet's definition (usage minus inactive file
 * cache), the number eviction decisions and {@code kubectl top} use. A counter whose controller or file is
 * missing reads 0.
 */
public record CgroupStats(
        long timestampNanos,
        long cpuUsageNanos,
        long memoryUsageBytes,
        long memoryWorkingSetBytes,
        long memoryRssBytes,
        long pageFaults,
        long majorPageFaults,
        long oomKillCount,
        long pidsCurrent) {}
