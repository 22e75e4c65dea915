package dev.berth.operator.app;

import static dev.berth.operator.app.AppOperatorFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.image.manifest.Platform;
import dev.berth.operator.image.RegistrySettings;
import dev.berth.operator.model.AppSpec;
import dev.berth.operator.process.BerthControllers;
import dev.berth.operator.process.Mode;
import dev.berth.operator.process.OperatorSettings;
import dev.berth.testkit.registry.ImagePusher;
import dev.berth.testkit.registry.PushedImage;
import dev.berth.testkit.registry.RegistryFixture;
import dev.berth.testkit.registry.TestImage;
import dev.berth.testkit.registry.TestLayer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plain {@code spec.image} tag is pinned through a real registry on 127.0.0.1, and runs by tag without one. */
@EnableKubernetesMockClient(crud = true)
class AppTagPinningTest {
    static KubernetesClient client;

    private AppOperatorFixture fixture;
    private RegistryFixture registry;

    @BeforeEach
    void start() throws Exception {
        RegistryFixture.requireAvailable();
        registry = RegistryFixture.start();
        fixture = new AppOperatorFixture(client);
    }

    @AfterEach
    void stop() throws IOException {
        fixture.close();
        registry.close();
    }

    @Test
    void tagIsPinnedToTheDigestTheRegistryReportsAndStaysPinnedWhenTheTagMoves() throws Exception {
        PushedImage v1 = push(1);
        AppSpec spec = new AppSpec();
        spec.setImage(registry.reference("team/web:stable"));
        fixture.apply("pinned", spec);

        String expected = registry.hostPort() + "/team/web@" + v1.manifestDigest();
        await("Deployment pinned to " + expected, () -> expected.equals(imageOf("pinned")));
        await(
                "status names the digest",
                () -> fixture.app("pinned").getStatus() != null
                        && v1.manifestDigest()
                                .equals(fixture.app("pinned").getStatus().getImageDigest()));

        push(2);
        fixture.patchSpec("pinned", "{\"replicas\":2}");
        await(
                "replicas applied",
                () -> Integer.valueOf(2)
                        .equals(fixture.deployment("pinned").getSpec().getReplicas()));

        assertThat(imageOf("pinned"))
                .as("a moving tag does not roll an App; an Image does")
                .isEqualTo(expected);
    }

    @Test
    void unreachableRegistryRunsTheTagAndSaysWhyItIsNotPinned() {
        AppSpec spec = new AppSpec();
        // port 1 on loopback: nothing listens, the look-up fails at once
        spec.setImage("127.0.0.1:1/team/web:stable");
        fixture.apply("by-tag", spec);

        await("Deployment by tag", () -> "127.0.0.1:1/team/web:stable".equals(imageOf("by-tag")));
        var degraded = fixture.awaitCondition("by-tag", "Degraded", "False", "ImageNotPinned");

        assertThat(degraded.getMessage()).contains("runs by tag, not pinned", "registry look-up failed");
        assertThat(fixture.deployment("by-tag")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .getFirst()
                        .getImagePullPolicy())
                .isEqualTo("Always");
        assertThat(fixture.app("by-tag").getStatus().getImageDigest()).isNull();
    }

    @Test
    void operatorsAppReconcilerResolvesTagsThroughTheRegistrySettingsFile(@TempDir Path dir) throws Exception {
        fixture.close();
        PushedImage v1 = push(1);
        // Nothing listens on 127.0.0.2:1: only the mirror of the registry settings file can answer.
        Path settings = Files.writeString(dir.resolve("registries.yaml"), """
        registries:
          "127.0.0.2:1":
            mirrors: ["http://%s"]
            mirrorsOnly: true
        """.formatted(registry.hostPort()));
        AppReconciler wired = new BerthControllers(RegistrySettings.load(settings), java.time.Clock.systemUTC())
                .create(Mode.OPERATOR, client, OperatorSettings.defaults("app-test")).stream()
                        .filter(AppReconciler.class::isInstance)
                        .map(AppReconciler.class::cast)
                        .findFirst()
                        .orElseThrow();
        fixture = new AppOperatorFixture(client, wired);
        AppSpec spec = new AppSpec();
        spec.setImage("127.0.0.2:1/team/web:stable");
        fixture.apply("mirrored", spec);

        String expected = "127.0.0.2:1/team/web@" + v1.manifestDigest();
        await("Deployment pinned through the mirror to " + expected, () -> expected.equals(imageOf("mirrored")));
    }

    private PushedImage push(long seed) throws IOException {
        Platform host = Platform.host();
        TestImage image = TestImage.builder()
                .platform(host.os(), host.architecture(), host.variant())
                .layer(TestLayer.random(1024, 2, seed, TestLayer.Compression.GZIP))
                .build();
        return new ImagePusher(registry).pushImage("team/web", "stable", image);
    }

    private String imageOf(String app) {
        var d = fixture.deployment(app);
        return d == null
                ? ""
                : d.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage();
    }
}
