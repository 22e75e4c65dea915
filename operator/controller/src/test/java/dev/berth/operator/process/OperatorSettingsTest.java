package dev.berth.operator.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorSettingsTest {
    @Test
    void defaultsComeFromTheDownwardApiEnvironment() {
        OperatorSettings s = OperatorSettings.parse(
                List.of(),
                Map.of("POD_NAME", "berth-operator-7f9c", "POD_NAMESPACE", "berth-system", "NODE_NAME", "n1"));

        assertThat(s.port()).isEqualTo(8080);
        assertThat(s.leaseName()).isEqualTo("berth-operator");
        assertThat(s.leaseNamespace()).isEqualTo("berth-system");
        assertThat(s.identity()).isEqualTo("berth-operator-7f9c");
        assertThat(s.runtimeClassName()).isEqualTo("berth");
        assertThat(s.nodeName()).isEqualTo("n1");
        assertThat(s.criSocket()).isEqualTo("unix:///run/berth/berth.sock");
    }

    @Test
    void theHelmChartsEnvironmentConfiguresTheProcess() {
        OperatorSettings settings = OperatorSettings.parse(
                List.of(),
                Map.of(
                        "POD_NAME",
                        "p",
                        "BERTH_METRICS_PORT",
                        "9090",
                        "BERTH_LEADER_ELECTION_LEASE",
                        "berth-lock",
                        "BERTH_RUNTIME_CLASS",
                        "kata",
                        "BERTH_CRI_ENDPOINT",
                        "unix:///run/containerd/containerd.sock"));

        org.assertj.core.api.Assertions.assertThat(settings.port()).isEqualTo(9090);
        org.assertj.core.api.Assertions.assertThat(settings.leaseName()).isEqualTo("berth-lock");
        org.assertj.core.api.Assertions.assertThat(settings.runtimeClassName()).isEqualTo("kata");
        org.assertj.core.api.Assertions.assertThat(settings.criSocket())
                .isEqualTo("unix:///run/containerd/containerd.sock");
    }

    @Test
    void flagsWinOverTheEnvironment() {
        OperatorSettings s = OperatorSettings.parse(
                List.of(
                        "--port",
                        "9090",
                        "--lease-namespace=ops",
                        "--identity",
                        "me",
                        "--runtime-class",
                        "kata",
                        "--cri-socket",
                        "unix:///run/containerd/containerd.sock"),
                Map.of("POD_NAMESPACE", "berth-system", "HOSTNAME", "h"));

        assertThat(s.port()).isEqualTo(9090);
        assertThat(s.leaseNamespace()).isEqualTo("ops");
        assertThat(s.identity()).isEqualTo("me");
        assertThat(s.runtimeClassName()).isEqualTo("kata");
        assertThat(s.criSocket()).isEqualTo("unix:///run/containerd/containerd.sock");
    }

    @Test
    void badFlagsAreNamed() {
        assertThatThrownBy(() -> OperatorSettings.parse(List.of("--prot", "1"), Map.of()))
                .hasMessageContaining("unknown flag --prot");
        assertThatThrownBy(() -> OperatorSettings.parse(List.of("--port"), Map.of()))
                .hasMessageContaining("--port needs a value");
        assertThatThrownBy(() -> OperatorSettings.parse(List.of("--port", "x"), Map.of()))
                .hasMessageContaining("--port must be a number");
        assertThatThrownBy(() -> OperatorSettings.parse(List.of("--port", "70000"), Map.of()))
                .hasMessageContaining("0..65535");
        assertThatThrownBy(() -> OperatorSettings.parse(List.of("operator"), Map.of()))
                .hasMessageContaining("unexpected argument 'operator'");
    }
}
