package dev.berth.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The example CRs under crds/examples/ read into the model as written, so the docs and the tests agree. */
class ExampleResourcesTest {
    private final Path examples =
            Path.of(System.getProperty("berth.crds.committed", "../../crds")).resolve("examples");
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    @Test
    void exampleImageReadsIntoTheModel() throws IOException {
        Image image = read("image.yaml", Image.class);

        assertThat(image.getMetadata().getName()).isEqualTo("hello");
        assertThat(image.getSpec().getImage()).matches(ImageSpec.IMAGE_REFERENCE);
        assertThat(image.getSpec().getUpdateInterval()).matches(ImageSpec.DURATION);
        assertThat(image.getSpec().getPrePull().getNodeSelector()).containsEntry("berth.dev/prepull", "true");
    }

    @Test
    void exampleAppNamesTheExampleImageAndReadsIntoTheModel() throws IOException {
        App app = read("app.yaml", App.class);
        Image image = read("image.yaml", Image.class);

        AppSpec spec = app.getSpec();
        assertThat(spec.getImageRef()).isEqualTo(image.getMetadata().getName());
        assertThat(spec.getImage()).isNull();
        assertThat(spec.getReplicas()).isEqualTo(2);
        assertThat(spec.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getContainerPort()).isEqualTo(8080);
            assertThat(p.getProtocol())
                    .as("the schema's default, also the model's")
                    .isEqualTo(Protocol.TCP);
        });
        assertThat(spec.getVolumes())
                .singleElement()
                .satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
        assertThat(spec.getStrategy().getType()).isEqualTo(StrategyType.RollingUpdate);
        assertThat(spec.getStrategy().getMaxSurge().getIntVal()).isEqualTo(1);
        assertThat(spec.getResources().getLimits().get("memory").toString()).isEqualTo("64Mi");
    }

    @Test
    void absentReplicasAndDeadlineTakeTheSchemaDefaults() {
        App app = serialization.unmarshal(
                "{\"apiVersion\":\"berth.dev/v1alpha1\",\"kind\":\"App\","
                        + "\"metadata\":{\"name\":\"a\"},\"spec\":{\"image\":\"busybox\"}}",
                App.class);

        assertThat(app.getSpec().getReplicas()).isEqualTo(1);
        assertThat(app.getSpec().getProgressDeadlineSeconds()).isEqualTo(600);
    }

    private <T> T read(String name, Class<T> type) throws IOException {
        try (InputStream in = Files.newInputStream(examples.resolve(name))) {
            return serialization.unmarshal(in, type);
        }
    }
}
