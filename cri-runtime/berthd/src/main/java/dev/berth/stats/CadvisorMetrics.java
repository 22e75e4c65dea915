package dev.berth.stats;

import dev.berth.cgroup.CgroupResources;
import dev.berth.cgroup.CgroupStats;
import java.util.ArrayList;
import java.util.List;

/**
 * The cAdvisor metrics kubelet serves on /metrics/cadvisor when it takes pod and container stats from the
 * runtime (PodAndContainerStatsFromCRI), with cAdvisor's and CRI-O's names, help and labels. Only what
 * berthd reads for real: cgroup CPU and memory counters, the limits it applied, the pod's interface
 * counters. kubelet adds the namespace, pod and container labels itself; CRI carries whole numbers, so
 * seconds are whole seconds, as in CRI-O.
 */
public final class CadvisorMetrics {

    private static final List<String> BASE = List.of("id", "name", "image");
    private static final List<String> WITH_CPU = List.of("id", "name", "image", "cpu");
    private static final List<String> WITH_INTERFACE = List.of("id", "name", "image", "interface");
    /** cAdvisor's container name of the pod's own cgroup; the pod has no image */
    private static final String POD_NAME = "POD";

    static final MetricDescriptor CPU_USAGE = new MetricDescriptor(
            "container_cpu_usage_seconds_total", "Cumulative cpu time consumed in seconds.", WITH_CPU);
    static final MetricDescriptor MEMORY_USAGE = new MetricDescriptor(
            "container_memory_usage_bytes",
            "Current memory usage in bytes, including all memory regardless of when it was accessed",
            BASE);
    static final MetricDescriptor MEMORY_WORKING_SET =
            new MetricDescriptor("container_memory_working_set_bytes", "Current working set in bytes.", BASE);
    static final MetricDescriptor MEMORY_RSS =
            new MetricDescriptor("container_memory_rss", "Size of RSS in bytes.", BASE);
    static final MetricDescriptor OOM_EVENTS = new MetricDescriptor(
            "container_oom_events_total", "Count of out of memory events observed for the container", BASE);
    static final MetricDescriptor SPEC_MEMORY_LIMIT =
            new MetricDescriptor("container_spec_memory_limit_bytes", "Memory limit for the container in bytes.", BASE);
    static final MetricDescriptor SPEC_CPU_SHARES =
            new MetricDescriptor("container_spec_cpu_shares", "CPU share of the container.", BASE);
    static final MetricDescriptor SPEC_CPU_QUOTA =
            new MetricDescriptor("container_spec_cpu_quota", "CPU quota of the container.", BASE);
    static final MetricDescriptor SPEC_CPU_PERIOD =
            new MetricDescriptor("container_spec_cpu_period", "CPU period of the container.", BASE);
    static final MetricDescriptor LAST_SEEN =
            new MetricDescriptor("container_last_seen", "Last time a container was seen by the exporter", BASE);
    static final MetricDescriptor RX_BYTES = new MetricDescriptor(
            "container_network_receive_bytes_total", "Cumulative count of bytes received", WITH_INTERFACE);
    static final MetricDescriptor RX_ERRORS = new MetricDescriptor(
            "container_network_receive_errors_total",
            "Cumulative count of errors encountered while receiving",
            WITH_INTERFACE);
    static final MetricDescriptor TX_BYTES = new MetricDescriptor(
            "container_network_transmit_bytes_total", "Cumulative count of bytes transmitted", WITH_INTERFACE);
    static final MetricDescriptor TX_ERRORS = new MetricDescriptor(
            "container_network_transmit_errors_total",
            "Cumulative count of errors encountered while transmitting",
            WITH_INTERFACE);

    private static final List<MetricDescriptor> DESCRIPTORS = List.of(
            CPU_USAGE,
            MEMORY_USAGE,
            MEMORY_WORKING_SET,
            MEMORY_RSS,
            OOM_EVENTS,
            SPEC_MEMORY_LIMIT,
            SPEC_CPU_SHARES,
            SPEC_CPU_QUOTA,
            SPEC_CPU_PERIOD,
            LAST_SEEN,
            RX_BYTES,
            RX_ERRORS,
            TX_BYTES,
            TX_ERRORS);

    /** Every metric {@link #container} and {@link #pod} may return, each sample matching one of these. */
    public List<MetricDescriptor> descriptors() {
        return DESCRIPTORS;
    }

    /**
     * A running container's metrics. CPU shares, quota and period appear only when set: the cgroup's default is
     * the kernel's, not a value berthd chose. A memory limit of 0 means none, as cAdvisor reports it.
     */
    public List<MetricSample> container(
            String id, String name, String image, CgroupStats usage, CgroupResources limits) {
        List<String> labels = List.of(id, name, image);
        long at = usage.timestampNanos();
        List<MetricSample> samples = new ArrayList<>();
        samples.add(new MetricSample(
                CPU_USAGE.name(), true, List.of(id, name, image, "total"), usage.cpuUsageNanos() / 1_000_000_000L, at));
        samples.add(gauge(MEMORY_USAGE, labels, usage.memoryUsageBytes(), at));
        samples.add(gauge(MEMORY_WORKING_SET, labels, usage.memoryWorkingSetBytes(), at));
        samples.add(gauge(MEMORY_RSS, labels, usage.memoryRssBytes(), at));
        samples.add(new MetricSample(OOM_EVENTS.name(), true, labels, usage.oomKillCount(), at));
        samples.add(gauge(SPEC_MEMORY_LIMIT, labels, limits.memoryLimitBytes(), at));
        if (limits.cpuShares() > 0) {
            samples.add(gauge(SPEC_CPU_SHARES, labels, limits.cpuShares(), at));
        }
        if (limits.cpuQuota() > 0) {
            samples.add(gauge(SPEC_CPU_QUOTA, labels, limits.cpuQuota(), at));
        }
        if (limits.cpuPeriod() > 0) {
            samples.add(gauge(SPEC_CPU_PERIOD, labels, limits.cpuPeriod(), at));
        }
        samples.add(gauge(LAST_SEEN, labels, at / 1_000_000_000L, at));
        return samples;
    }

    /** A pod's own metrics: its network namespace's interface counters (its containers share them). */
    public List<MetricSample> pod(String sandboxId, List<InterfaceUsage> interfaces, long timestampNanos) {
        List<MetricSample> samples = new ArrayList<>();
        for (InterfaceUsage i : interfaces) {
            List<String> labels = List.of(sandboxId, POD_NAME, "", i.name());
            samples.add(new MetricSample(RX_BYTES.name(), true, labels, i.rxBytes(), timestampNanos));
            samples.add(new MetricSample(RX_ERRORS.name(), true, labels, i.rxErrors(), timestampNanos));
            samples.add(new MetricSample(TX_BYTES.name(), true, labels, i.txBytes(), timestampNanos));
            samples.add(new MetricSample(TX_ERRORS.name(), true, labels, i.txErrors(), timestampNanos));
        }
        return samples;
    }

    private static MetricSample gauge(MetricDescriptor descriptor, List<String> labels, long value, long at) {
        return new MetricSample(descriptor.name(), false, labels, Math.max(0, value), at);
    }
}
