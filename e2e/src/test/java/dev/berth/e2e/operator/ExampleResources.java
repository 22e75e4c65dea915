package dev.berth.e2e.operator;

import dev.berth.operator.model.App;
import dev.berth.operator.model.Image;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;

/** The example CRs from crds/examples/, as a platform team applies them, moved into the test's namespace. */
public final class ExampleResources {
    private final RepoPaths repo;
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    public ExampleResources(RepoPaths repo) {
        this.repo = repo;
    }

    /** image.yaml naming {@code reference}, re-resolved every {@code updateInterval}, with no node pre-pull. */
    public Image image(String namespace, String reference, String updateInterval) throws IOException {
        Image image = read("image.yaml", Image.class);
        image.getMetadata().setNamespace(namespace);
        image.getSpec().setImage(reference);
        image.getSpec().setUpdateInterval(updateInterval);
        // pre-pull needs node agents on real nodes; the scenario is about resolution and rollout
        image.getSpec().setPrePull(null);
        return image;
    }

    /** app.yaml (imageRef hello) with one replica; {@code runtimeClassName} null keeps the operator's default. */
    public App app(String namespace, String runtimeClassName) throws IOException {
        App app = read("app.yaml", App.class);
        app.getMetadata().setNamespace(namespace);
        app.getSpec().setReplicas(1);
        if (runtimeClassName != null) {
            app.getSpec().setRuntimeClassName(runtimeClassName);
        }
        return app;
    }

    /**
     * The example App stripped to what a minimal App needs: no env, ports, health check, resources, volumes or
     * strategy, only a command that keeps running. The shape that never became Ready under server-side apply.
     */
    public App bareApp(String namespace, String runtimeClassName) throws IOException {
        App app = app(namespace, runtimeClassName);
        app.getMetadata().setName(app.getMetadata().getName() + "-bare");
        app.getSpec().setCommand(List.of("sleep", "3600"));
        app.getSpec().setEnv(null);
        app.getSpec().setPorts(null);
        app.getSpec().setHealthCheck(null);
        app.getSpec().setResources(null);
        app.getSpec().setVolumes(null);
        app.getSpec().setStrategy(null);
        return app;
    }

    private <T> T read(String file, Class<T> type) throws IOException {
        try (InputStream in = Files.newInputStream(repo.example(file))) {
            return serialization.unmarshal(in, type);
        }
    }
}
