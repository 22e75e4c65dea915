package dev.berth.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryPoolAllocationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * berthd's metrics, all in one registry of its own (never the client library's static default, so two daemons in
 * one JVM, as in tests, keep theirs apart). Made once by the daemon's wiring and handed to the components that
 * record into it. Recording is the client library's lock-free counters; nothing here takes a lock. Exemplars are
 * off: berthd has no tracing to link them to, and sampling them costs every observation.
 */
public final class BerthMetrics {

    /** From a tenth of a millisecond (Version over the socket) to two minutes (a big pull). */
    private static final double[] RPC_SECONDS = {
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120
    };
    /** A process of runc or a CNI plugin: ~4 ms for runc start, ~100 ms for a portmap DEL, 30 s at the timeout. */
    private static final double[] PROCESS_SECONDS = {
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30
    };

    private static final double[] PULL_SECONDS = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final RpcMetrics rpcs;
    private final PullMetrics pulls;
    private final CallDurations cni;
    private final CallDurations ociRuntime;

    /** @param version berthd's version, exposed as {@code berth_build_info{version}} */
    public BerthMetrics(String version) {
        Info.builder()
                .name("berth_build_info")
                .help("berthd's build: always 1, the version in its label")
                .labelNames("version")
                .register(registry)
                .setLabelValues(version);
        rpcs = new RpcMetrics(
                Counter.builder()
                        .name("berth_cri_requests_total")
                        .help("gRPC calls served (CRI and berth.v1), by service, method and status code")
                        .labelNames("service", "method", "code")
                        .withoutExemplars()
                        .register(registry),
                histogram(
                        "berth_cri_request_duration_seconds",
                        "Time to serve a unary gRPC call",
                        RPC_SECONDS,
                        "service",
                        "method"));
        pulls = pullMetrics();
        cni = durations(histogram(
                "berth_cni_duration_seconds",
                "Time of one CNI plugin call (ADD, DEL, CHECK) by plugin type",
                PROCESS_SECONDS,
                "plugin",
                "command"));
        ociRuntime = durations(histogram(
                "berth_oci_runtime_duration_seconds",
                "Time of one OCI runtime call (runc state, start, kill...; create is conmon with the runtime's create)",
                PROCESS_SECONDS,
                "command"));
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** For the gRPC server: every service on it is counted. */
    public RpcMetrics rpcs() {
        return rpcs;
    }

    public PullMetrics pulls() {
        return pulls;
    }

    public CallDurations cni() {
        return cni;
    }

    public CallDurations ociRuntime() {
        return ociRuntime;
    }

    /**
     * A gauge {@code name{state}} counted at scrape time from {@code current}, every state of {@code states} present
     * (0 when none), the state's name lower-cased.
     */
    public <E extends Enum<E>> void countByState(
            String name, String help, Class<E> states, Supplier<Stream<E>> current) {
        GaugeWithCallback.builder()
                .name(name)
                .help(help)
                .labelNames("state")
                .callback(gauge -> {
                    Map<E, Long> counts = new EnumMap<>(states);
                    for (E state : states.getEnumConstants()) {
                        counts.put(state, 0L);
                    }
                    current.get().forEach(state -> counts.merge(state, 1L, Long::sum));
                    counts.forEach(
                            (state, count) -> gauge.call(count, state.name().toLowerCase(Locale.ROOT)));
                })
                .register(registry);
    }

    /**
     * What the client's {@code JvmMetrics} registers, less the native-memory collector: it asks the diagnostic
     * MBean at registration (~300 ms of a cold start) and reports nothing without -XX:NativeMemoryTracking.
     */
    /**
     * Adds the JVM's and the process's own metrics. Apart from the constructor because they cost a start ~30 ms of
     * CPU (the management beans, a GC listener): berthd adds them once its socket serves, and only when scraped.
     */
    public void registerJvmMetrics() {
        JvmMemoryMetrics.builder().register(registry);
        JvmGarbageCollectorMetrics.builder().register(registry);
        JvmMemoryPoolAllocationMetrics.builder().register(registry);
        JvmThreadsMetrics.builder().register(registry);
        JvmClassLoadingMetrics.builder().register(registry);
        JvmBufferPoolMetrics.builder().register(registry);
        JvmCompilationMetrics.builder().register(registry);
        JvmRuntimeInfoMetric.builder().register(registry);
        ProcessMetrics.builder().register(registry);
    }

    private PullMetrics pullMetrics() {
        Counter bytes = Counter.builder()
                .name("berth_image_pull_bytes_total")
                .help("Blob bytes (manifests, configs, layers) downloaded by image pulls, by registry")
                .labelNames("registry")
                .withoutExemplars()
                .register(registry);
        Histogram seconds = histogram(
                "berth_image_pull_duration_seconds", "Time of one successful image pull", PULL_SECONDS, "registry");
        Counter failures = Counter.builder()
                .name("berth_image_pull_failures_total")
                .help("Image pulls that failed, by registry and reason")
                .labelNames("registry", "reason")
                .withoutExemplars()
                .register(registry);
        return new PullMetrics() {
            @Override
            public void downloaded(String host, long count) {
                bytes.labelValues(host).inc(count);
            }

            @Override
            public void pulled(String host, long nanos) {
                seconds.labelValues(host).observe(nanos / 1e9);
            }

            @Override
            public void failed(String host, String reason) {
                failures.labelValues(host, reason).inc();
            }
        };
    }

    private Histogram histogram(String name, String help, double[] bounds, String... labels) {
        return Histogram.builder()
                .name(name)
                .help(help)
                .labelNames(labels)
                .classicOnly()
                .classicUpperBounds(bounds)
                .withoutExemplars()
                .register(registry);
    }

    private static CallDurations durations(Histogram histogram) {
        return (nanos, labels) -> histogram.labelValues(labels).observe(nanos / 1e9);
    }
}
