package dev.berth.helm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChartLintTest {

    private final ChartUnderTest chart = new ChartUnderTest();

    @Test
    void strictLintFindsNoWarningOrError() {
        var result = chart.lintStrict();

        assertThat(result.isFailed())
                .as("helm lint --strict: %s", result.getMessages())
                .isFalse();
        assertThat(result.getMessages())
                .as("only [INFO] notes are acceptable")
                .allSatisfy(message -> assertThat(message).startsWith("[INFO]"));
    }

    @Test
    void defaultValuesRenderEveryComponent() {
        var rendered = chart.render();

        assertThat(rendered.kinds())
                .containsExactlyInAnyOrder(
                        "ServiceAccount/berth-operator",
                        "ServiceAccount/berth-node-agent",
                        "ClusterRole/berth-operator",
                        "ClusterRoleBinding/berth-operator",
                        "ClusterRole/berth-node-agent",
                        "ClusterRoleBinding/berth-node-agent",
                        "Role/berth-leader-election",
                        "RoleBinding/berth-leader-election",
                        "Service/berth-metrics",
                        "Deployment/berth-operator",
                        "DaemonSet/berth-node-agent",
                        "RuntimeClass/berth");
    }

    @Test
    void everyNamespacedObjectLandsInTheReleaseNamespace() {
        var rendered = chart.render();

        rendered.documents().stream()
                .filter(d -> !d.path("kind").asText().startsWith("Cluster")
                        && !d.path("kind").asText().equals("RuntimeClass"))
                .forEach(d -> assertThat(d.path("metadata").path("namespace").asText())
                        .as("namespace of %s", d.path("kind").asText())
                        .isEqualTo(ChartUnderTest.NAMESPACE));
    }
}
