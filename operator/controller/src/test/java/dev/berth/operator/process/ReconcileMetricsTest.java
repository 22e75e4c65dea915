package dev.berth.operator.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconcileMetricsTest {
    @Test
    void rendersCountersPerControllerInPrometheusText() {
        ReconcileMetrics metrics = new ReconcileMetrics();
        Map<String, Object> app = Map.of(Constants.CONTROLLER_NAME, "app");
        metrics.reconcileCustomResource(new ConfigMap(), null, app);
        metrics.reconcileCustomResource(new ConfigMap(), null, app);
        metrics.finishedReconciliation(new ConfigMap(), app);
        metrics.failedReconciliation(
                new ConfigMap(), new RuntimeException("x"), Map.of(Constants.CONTROLLER_NAME, "a\"b"));

        String text = metrics.render(false);

        assertThat(metrics.reconciliations("app")).isEqualTo(2);
        assertThat(text)
                .contains(
                        "berth_operator_reconciliations_total{controller=\"app\"} 2\n",
                        "berth_operator_reconciliations_succeeded_total{controller=\"app\"} 1\n",
                        "berth_operator_reconciliations_failed_total{controller=\"a\\\"b\"} 1\n",
                        "# TYPE berth_operator_leader gauge\nberth_operator_leader 0\n");
    }
}
