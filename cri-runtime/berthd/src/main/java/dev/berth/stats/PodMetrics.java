package dev.berth.stats;

import java.util.List;
import java.util.Map;

/**
 * One reading of a pod's cAdvisor metrics.
 *
 * @param containers the running containers' samples, by container ID
 * @param pod        the pod's own samples (its network interfaces)
 */
public record PodMetrics(String sandboxId, Map<String, List<MetricSample>> containers, List<MetricSample> pod) {

    public PodMetrics {
        containers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(containers));
        pod = List.copyOf(pod);
    }
}
