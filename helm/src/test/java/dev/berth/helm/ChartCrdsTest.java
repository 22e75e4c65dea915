package dev.berth.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * helm/berth/crds holds copies of the generated CRDs at the repository root (helm only installs CRDs
 * from inside the chart, and a symlink does not survive helm package), so the copies must not drift.
 */
class ChartCrdsTest {

    private static final String REFRESH =
            "helm/berth/crds differs from the generated crds/: refresh the chart's copies with "
                    + "`cp crds/*.yml helm/berth/crds/` (after regenerating crds/ if the model changed)";

    private final ChartUnderTest chart = new ChartUnderTest();

    @Test
    void chartShipsTheImageImagePullAndAppCrds() throws IOException {
        var yaml = new ObjectMapper(new YAMLFactory());
        var crds = new TreeMap<String, JsonNode>();
        for (var file : crdFiles(chart.chartDir().resolve("crds"))) {
            var crd = yaml.readTree(file.toFile());
            assertThat(crd.path("kind").asText()).as(file.toString()).isEqualTo("CustomResourceDefinition");
            crds.put(crd.path("metadata").path("name").asText(), crd);
        }

        assertThat(crds).containsOnlyKeys("images.berth.dev", "imagepulls.berth.dev", "apps.berth.dev");
        crds.values().forEach(crd -> {
            assertThat(crd.path("spec").path("group").asText()).isEqualTo("berth.dev");
            assertThat(crd.path("spec").path("scope").asText()).isEqualTo("Namespaced");
            assertThat(crd.path("spec").path("versions").findValuesAsText("name"))
                    .contains("v1alpha1");
        });
        assertThat(crds.get("images.berth.dev").path("spec").path("names").path("shortNames"))
                .hasToString("[\"img\"]");
        assertThat(crds.get("apps.berth.dev").path("spec").path("names").path("shortNames"))
                .hasToString("[\"bapp\"]");
    }

    @Test
    void chartCrdsAreByteForByteTheGeneratedOnes() throws IOException {
        var generatedDir = chart.repositoryRoot().resolve("crds");
        assertThat(generatedDir)
                .as(
                        "crds/ at the repository root is committed with the CRDs the generator wrote; regenerate it with ./berth crds")
                .isDirectory();

        var generated = crdFiles(generatedDir);
        var copies = crdFiles(chart.chartDir().resolve("crds"));
        assertThat(copies.stream().map(p -> p.getFileName().toString()))
                .as(REFRESH)
                .containsExactlyInAnyOrderElementsOf(
                        generated.stream().map(p -> p.getFileName().toString()).toList());
        for (var source : generated) {
            var copy = chart.chartDir().resolve("crds").resolve(source.getFileName());
            assertThat(Files.mismatch(source, copy))
                    .as(REFRESH + " (%s)", source.getFileName())
                    .isEqualTo(-1L);
        }
    }

    /** The CRD files directly in dir; example CRs live in a subdirectory and are not CRDs. */
    private static List<Path> crdFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml"))
                    .sorted()
                    .toList();
        }
    }
}
