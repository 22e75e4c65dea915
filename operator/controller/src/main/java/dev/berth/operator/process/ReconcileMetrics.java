package dev.berth.operator.process;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.processing.event.Event;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what JOSDK reports per controller and renders it in the Prometheus text format. JOSDK's own
 * Micrometer module is not served to this build, and a handful of counters needs no metrics library.
 */
public final class ReconcileMetrics implements Metrics {
    private final Map<String, LongAdder> started = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> succeeded = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failed = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> events = new ConcurrentHashMap<>();

    @Override
    public void receivedEvent(Event event, Map<String, Object> metadata) {
        count(events, metadata, null);
    }

    @Override
    public void reconcileCustomResource(HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
        count(started, metadata, resource);
    }

    @Override
    public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
        count(succeeded, metadata, resource);
    }

    @Override
    public void failedReconciliation(HasMetadata resource, Exception exception, Map<String, Object> metadata) {
        count(failed, metadata, resource);
    }

    /** Reconciliations started by the named controller so far. */
    public long reconciliations(String controller) {
        LongAdder n = started.get(controller);
        return n == null ? 0 : n.sum();
    }

    /** The counters plus the given leadership gauge, as a Prometheus scrape expects them. */
    public String render(boolean leader) {
        StringBuilder out = new StringBuilder();
        family(out, "berth_operator_reconciliations_total", "Reconciliations started, per controller.", started);
        family(
                out,
                "berth_operator_reconciliations_succeeded_total",
                "Reconciliations that finished without error.",
                succeeded);
        family(out, "berth_operator_reconciliations_failed_total", "Reconciliations that threw.", failed);
        family(out, "berth_operator_events_total", "Events received, per controller.", events);
        out.append(
                        "# HELP berth_operator_leader 1 while this replica holds the leader lease (node agents: always 1).\n")
                .append("# TYPE berth_operator_leader gauge\n")
                .append("berth_operator_leader ")
                .append(leader ? 1 : 0)
                .append('\n');
        return out.toString();
    }

    private static void family(StringBuilder out, String name, String help, Map<String, LongAdder> counters) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        new TreeMap<>(counters)
                .forEach((controller, n) -> out.append(name)
                        .append("{controller=\"")
                        .append(escape(controller))
                        .append("\"} ")
                        .append(n.sum())
                        .append('\n'));
    }

    private static void count(Map<String, LongAdder> counters, Map<String, Object> metadata, HasMetadata resource) {
        Object name = metadata == null ? null : metadata.get(Constants.CONTROLLER_NAME);
        String controller = name != null ? name.toString() : resource != null ? resource.getKind() : "unknown";
        counters.computeIfAbsent(controller, k -> new LongAdder()).increment();
    }

    private static String escape(String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
