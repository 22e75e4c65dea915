package dev.berth.operator.app;

import static dev.berth.operator.app.AppOperatorFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.operator.model.App;
import dev.berth.operator.model.AppSpec;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code kubectl get bapp}'s IMAGE column, read from the committed CRD, shows an image for both kinds of App. */
@EnableKubernetesMockClient(crud = true)
class AppImageColumnTest {
    static KubernetesClient client;
    private static final String DIGEST = "sha256:" + "c".repeat(64);
    private static final Path CRDS = Path.of(System.getProperty("berth.crds.committed", "../../crds"));

    private AppOperatorFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new AppOperatorFixture(client);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void imageColumnShowsTheReferencedImagesImageForAnImageRefApp() throws IOException {
        fixture.image("hello", "registry.example/team/hello:v1", DIGEST);
        AppSpec spec = new AppSpec();
        spec.setImageRef("hello");
        fixture.apply("by-ref", spec);

        assertThat(awaitColumn("by-ref", imageColumn())).isEqualTo("registry.example/team/hello:v1");
    }

    @Test
    void imageColumnShowsSpecImageForAnImageApp() throws IOException {
        AppSpec spec = new AppSpec();
        spec.setImage("registry.example/team/web@" + DIGEST);
        fixture.apply("by-image", spec);

        assertThat(awaitColumn("by-image", imageColumn())).isEqualTo("registry.example/team/web@" + DIGEST);
    }

    private static String imageColumn() throws IOException {
        try (InputStream in = Files.newInputStream(CRDS.resolve("apps.berth.dev-v1.yml"))) {
            CustomResourceDefinition crd = client.getKubernetesSerialization().unmarshal(in);
            return crd.getSpec().getVersions().getFirst().getAdditionalPrinterColumns().stream()
                    .filter(c -> "IMAGE".equals(c.getName()))
                    .map(CustomResourceColumnDefinition::getJsonPath)
                    .findFirst()
                    .orElseThrow();
        }
    }

    /** The column's value as kubectl prints it: the CRD's simple JSONPath, evaluated on the App as stored. */
    private String awaitColumn(String app, String jsonPath) {
        return await("the " + jsonPath + " column of App " + app, () -> {
            App stored = fixture.app(app);
            Object value = client.getKubernetesSerialization().convertValue(stored, Map.class);
            for (String field : jsonPath.substring(1).split("\\.")) {
                value = value instanceof Map<?, ?> m ? m.get(field) : null;
            }
            return value == null ? null : value.toString();
        });
    }
}
