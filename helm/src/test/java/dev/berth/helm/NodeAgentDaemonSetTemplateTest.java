package dev.berth.helm;

import static dev.berth.helm.OperatorDeploymentTemplateTest.container;
import static dev.berth.helm.OperatorDeploymentTemplateTest.env;
import static dev.berth.helm.OperatorDeploymentTemplateTest.podSpec;
import static dev.berth.helm.OperatorDeploymentTemplateTest.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class NodeAgentDaemonSetTemplateTest {

    private final ChartUnderTest chart = new ChartUnderTest();

    @Test
    void defaultMountsBerthdSocketDirectoryAtTheSamePath() {
        var daemonSet = chart.render().single("DaemonSet");

        assertThat(socketVolume(daemonSet).path("hostPath").path("path").asText())
                .isEqualTo("/run/berth");
        assertThat(socketVolume(daemonSet).path("hostPath").path("type").asText())
                .isEqualTo("Directory");
        assertThat(socketMount(daemonSet).path("mountPath").asText()).isEqualTo("/run/berth");
        assertThat(socketMount(daemonSet).path("readOnly").asBoolean()).isTrue();
        assertThat(env(daemonSet, "BERTH_CRI_ENDPOINT").path("value").asText())
                .isEqualTo("unix:///run/berth/berth.sock");
    }

    @Test
    void configuredCriSocketDirectoryIsTheHostPath() {
        var daemonSet = chart.render(Map.of("nodeAgent.criSocket", "/run/containerd/containerd.sock"))
                .single("DaemonSet");

        assertThat(socketVolume(daemonSet).path("hostPath").path("path").asText())
                .isEqualTo("/run/containerd");
        assertThat(socketMount(daemonSet).path("mountPath").asText()).isEqualTo("/run/containerd");
        assertThat(env(daemonSet, "BERTH_CRI_ENDPOINT").path("value").asText())
                .isEqualTo("unix:///run/containerd/containerd.sock");
    }

    @Test
    void agentRunsTheNodeAgentSubcommandAndKnowsItsNode() {
        var daemonSet = chart.render().single("DaemonSet");

        assertThat(container(daemonSet).path("args")).containsExactly(text("node-agent"));
        assertThat(env(daemonSet, "NODE_NAME")
                        .path("valueFrom")
                        .path("fieldRef")
                        .path("fieldPath")
                        .asText())
                .isEqualTo("spec.nodeName");
        assertThat(podSpec(daemonSet).path("serviceAccountName").asText()).isEqualTo("berth-node-agent");
        assertThat(podSpec(daemonSet).path("hostNetwork").asBoolean(false)).isFalse();
        assertThat(podSpec(daemonSet).path("hostPID").asBoolean(false)).isFalse();
    }

    @Test
    void agentHasNoCapabilitiesAndAReadOnlyRoot() {
        var container = container(chart.render().single("DaemonSet")).path("securityContext");

        assertThat(container.path("capabilities").path("drop")).containsExactly(text("ALL"));
        assertThat(container.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(container.path("privileged").asBoolean(false)).isFalse();
        assertThat(container.path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
    }

    @Test
    void tolerationsAndNodeSelectorAreConfigurable() {
        var daemonSet = chart.render(Map.of(
                        "nodeAgent.tolerations[0].operator", "Exists",
                        "nodeAgent.nodeSelector.berth\\.dev/runtime", "berthd"))
                .single("DaemonSet");

        assertThat(podSpec(daemonSet)
                        .path("tolerations")
                        .get(0)
                        .path("operator")
                        .asText())
                .isEqualTo("Exists");
        assertThat(podSpec(daemonSet)
                        .path("nodeSelector")
                        .path("berth.dev/runtime")
                        .asText())
                .isEqualTo("berthd");
        assertThat(podSpec(daemonSet)
                        .path("nodeSelector")
                        .path("kubernetes.io/os")
                        .asText())
                .isEqualTo("linux");
    }

    @Test
    void disabledAgentLeavesNoDaemonSetAccountOrRole() {
        var rendered = chart.render(Map.of("nodeAgent.enabled", false));

        assertThat(rendered.ofKind("DaemonSet")).isEmpty();
        assertThat(rendered.kinds()).noneMatch(kind -> kind.endsWith("/berth-node-agent"));
    }

    private static JsonNode socketVolume(JsonNode daemonSet) {
        return StreamSupport.stream(podSpec(daemonSet).path("volumes").spliterator(), false)
                .filter(v -> v.has("hostPath"))
                .reduce((a, b) -> {
                    throw new AssertionError("more than one hostPath volume: " + a + ", " + b);
                })
                .orElseThrow(() -> new AssertionError("no hostPath volume"));
    }

    private static JsonNode socketMount(JsonNode daemonSet) {
        var volumeName = socketVolume(daemonSet).path("name").asText();
        return StreamSupport.stream(container(daemonSet).path("volumeMounts").spliterator(), false)
                .filter(m -> volumeName.equals(m.path("name").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("hostPath volume " + volumeName + " is not mounted"));
    }
}
