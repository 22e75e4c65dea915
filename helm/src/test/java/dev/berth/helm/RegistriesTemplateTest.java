package dev.berth.helm;

import static dev.berth.helm.OperatorDeploymentTemplateTest.container;
import static dev.berth.helm.OperatorDeploymentTemplateTest.env;
import static dev.berth.helm.OperatorDeploymentTemplateTest.mountPaths;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistriesTemplateTest {

    private final ChartUnderTest chart = new ChartUnderTest();

    @Test
    void registrySettingsReachTheOperatorAndTheNodeAgentAsAFile() {
        var rendered = chart.render(Map.of("registries.registry\\.internal:5000.plainHttp", true));

        var configMap = rendered.single("ConfigMap");
        assertThat(configMap.path("data").path("registries.yaml").asText())
                .contains("registries:")
                .contains("registry.internal:5000:")
                .contains("plainHttp: true");
        for (var workload : new com.fasterxml.jackson.databind.JsonNode[] {
            rendered.single("Deployment"), rendered.single("DaemonSet")
        }) {
            assertThat(env(workload, "BERTH_REGISTRY_CONFIG").path("value").asText())
                    .isEqualTo("/etc/berth/registries/registries.yaml");
            assertThat(mountPaths(container(workload))).contains("/etc/berth/registries");
        }
    }

    @Test
    void withoutRegistrySettingsNothingIsMounted() {
        var rendered = chart.render();

        assertThat(rendered.ofKind("ConfigMap")).isEmpty();
        assertThat(mountPaths(container(rendered.single("Deployment")))).doesNotContain("/etc/berth/registries");
    }
}
