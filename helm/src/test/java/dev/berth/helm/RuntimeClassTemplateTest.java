package dev.berth.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RuntimeClassTemplateTest {

    private final ChartUnderTest chart = new ChartUnderTest();

    @Test
    void emptyHandlerMeansBerthdDefaultRunc() {
        var runtimeClass = chart.render().single("RuntimeClass");

        assertThat(runtimeClass.path("apiVersion").asText()).isEqualTo("node.k8s.io/v1");
        assertThat(runtimeClass.path("metadata").path("name").asText()).isEqualTo("berth");
        assertThat(runtimeClass.path("handler").asText()).isEqualTo("runc");
    }

    @Test
    void configuredHandlerAndNameAreUsed() {
        var rendered = chart.render(Map.of("runtimeClass.handler", "crun", "runtimeClass.name", "berth-crun"));

        var runtimeClass = rendered.single("RuntimeClass");
        assertThat(runtimeClass.path("metadata").path("name").asText()).isEqualTo("berth-crun");
        assertThat(runtimeClass.path("handler").asText()).isEqualTo("crun");
        assertThat(OperatorDeploymentTemplateTest.env(rendered.single("Deployment"), "BERTH_RUNTIME_CLASS")
                        .path("value")
                        .asText())
                .as("Apps default to the class the chart made")
                .isEqualTo("berth-crun");
    }

    @Test
    void createFalseRendersNoRuntimeClass() {
        var rendered = chart.render(Map.of("runtimeClass.create", false));

        assertThat(rendered.ofKind("RuntimeClass")).isEmpty();
    }
}
