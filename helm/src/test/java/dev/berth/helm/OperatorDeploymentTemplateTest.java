package dev.berth.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class OperatorDeploymentTemplateTest {

    private final ChartUnderTest chart = new ChartUnderTest();

    @Test
    void operatorRunsTheOperatorSubcommandOfTheChartsImage() {
        var deployment = chart.render().single("Deployment");

        var container = container(deployment);
        assertThat(container.path("image").asText()).isEqualTo("ghcr.io/berth-dev/berth-operator:0.2.0");
        assertThat(container.path("imagePullPolicy").asText()).isEqualTo("IfNotPresent");
        assertThat(container.path("args")).containsExactly(text("operator"));
        assertThat(podSpec(deployment).path("serviceAccountName").asText()).isEqualTo("berth-operator");
    }

    @Test
    void imageRepositoryTagAndPullPolicyAreConfigurable() {
        var deployment = chart.render(Map.of(
                        "image.repository", "registry.example:5000/berth/operator",
                        "image.tag", "0.2.0-rc.1",
                        "image.pullPolicy", "Always"))
                .single("Deployment");

        assertThat(container(deployment).path("image").asText())
                .isEqualTo("registry.example:5000/berth/operator:0.2.0-rc.1");
        assertThat(container(deployment).path("imagePullPolicy").asText()).isEqualTo("Always");
    }

    @Test
    void containerIsLockedDown() {
        var deployment = chart.render().single("Deployment");

        var pod = podSpec(deployment).path("securityContext");
        assertThat(pod.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.path("runAsUser").asInt()).isPositive();
        assertThat(pod.path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
        var container = container(deployment).path("securityContext");
        assertThat(container.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(container.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(container.path("capabilities").path("drop")).containsExactly(text("ALL"));
        assertThat(container.path("capabilities").has("add")).isFalse();
        assertThat(container.path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
        assertThat(mountPaths(container(deployment)))
                .as("the JVM needs a writable /tmp")
                .contains("/tmp");
    }

    @Test
    void probesHitHealthzAndReadyzOnTheMetricsPort() {
        var rendered = chart.render(Map.of("metrics.port", 9091));
        var container = container(rendered.single("Deployment"));

        var port = container.path("ports").get(0);
        assertThat(port.path("containerPort").asInt()).isEqualTo(9091);
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/healthz");
        assertThat(container.path("livenessProbe").path("httpGet").path("port")).isEqualTo(port.path("name"));
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/readyz");
        assertThat(container.path("readinessProbe").path("httpGet").path("port"))
                .isEqualTo(port.path("name"));
        assertThat(env(rendered.single("Deployment"), "BERTH_METRICS_PORT")
                        .path("value")
                        .asText())
                .isEqualTo("9091");
        var service = rendered.single("Service");
        assertThat(service.path("spec").path("ports").get(0).path("targetPort")).isEqualTo(port.path("name"));
        assertThat(service.path("spec").path("selector"))
                .isEqualTo(rendered.single("Deployment")
                        .path("spec")
                        .path("template")
                        .path("metadata")
                        .path("labels"));
    }

    @Test
    void podNamespaceComesFromTheDownwardApi() {
        var deployment = chart.render().single("Deployment");

        assertThat(env(deployment, "POD_NAMESPACE")
                        .path("valueFrom")
                        .path("fieldRef")
                        .path("fieldPath")
                        .asText())
                .isEqualTo("metadata.namespace");
    }

    @Test
    void replicasAndTheLeaseNameReachTheOperator() {
        var deployment = chart.render(Map.of("operator.replicas", 2)).single("Deployment");

        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(env(deployment, "BERTH_LEADER_ELECTION_LEASE").path("value").asText())
                .isEqualTo("berth-operator");
    }

    @Test
    void resourcesComeFromValues() {
        var deployment =
                chart.render(Map.of("operator.resources.limits.memory", "1Gi")).single("Deployment");

        var resources = container(deployment).path("resources");
        assertThat(resources.path("limits").path("memory").asText()).isEqualTo("1Gi");
        assertThat(resources.path("requests").path("cpu").asText()).isEqualTo("100m");
    }

    static JsonNode podSpec(JsonNode workload) {
        return workload.path("spec").path("template").path("spec");
    }

    static JsonNode container(JsonNode workload) {
        var containers = podSpec(workload).path("containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    static JsonNode env(JsonNode workload, String name) {
        return StreamSupport.stream(container(workload).path("env").spliterator(), false)
                .filter(e -> name.equals(e.path("name").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        "no env " + name + " in " + container(workload).path("env")));
    }

    static List<String> mountPaths(JsonNode container) {
        return StreamSupport.stream(container.path("volumeMounts").spliterator(), false)
                .map(m -> m.path("mountPath").asText())
                .toList();
    }

    static JsonNode text(String value) {
        return TextNode.valueOf(value);
    }
}
