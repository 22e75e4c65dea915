package dev.berth.stats;

import dev.berth.cgroup.CgroupStats;
import dev.berth.container.ContainerRecord;
import java.nio.file.Path;

/**
 * One reading of a container's usage.
 *
 * @param cgroup        the cgroup's counters; null unless the container is running
 * @param cpuNanoCores  CPU use since the previous reading; -1 for the first one (or none)
 * @param writableLayer the container's own layer, read at {@code writableTimestampNanos}
 */
public record ContainerUsage(
        ContainerRecord container,
        CgroupStats cgroup,
        long cpuNanoCores,
        long writableTimestampNanos,
        Path writableLayer,
        long writableBytes,
        long writableInodes) {}
