package dev.berth.operator.app;

import dev.berth.image.manifest.Platform;
import dev.berth.image.registry.RegistryClient;
import dev.berth.image.registry.RegistryConfig;
import dev.berth.operator.image.ImageResolver;
import dev.berth.operator.image.PullSecrets;
import dev.berth.operator.model.App;
import dev.berth.operator.model.AppSpec;
import dev.berth.operator.model.Image;
import dev.berth.operator.model.ImageSpec;
import dev.berth.operator.model.ImageStatus;
import dev.berth.operator.process.ServerSideApply;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The App reconciler in a JOSDK operator against Fabric8's CRUD mock API server, with the CRDs from
 * crds/ installed there (so status is a subresource, as on a real cluster). The test plays the Deployment
 * controller and the kubelet by writing Deployment status and pods itself.
 */
final class AppOperatorFixture implements AutoCloseable {
    static final String NS = "test";
    private static final Path CRDS = Path.of(System.getProperty("berth.crds.committed", "../../crds"));

    private final KubernetesClient client;
    private final RegistryClient registry = new RegistryClient(RegistryConfig.empty());
    private final Operator operator;

    AppOperatorFixture(KubernetesClient client) throws IOException {
        this(client, null);
    }

    /** @param reconciler the App reconciler to run, or null for one with the test's registry client */
    AppOperatorFixture(KubernetesClient client, AppReconciler reconciler) throws IOException {
        this.client = client;
        for (String crd :
                new String[] {"apps.berth.dev-v1.yml", "images.berth.dev-v1.yml", "imagepulls.berth.dev-v1.yml"}) {
            try (InputStream in = Files.newInputStream(CRDS.resolve(crd))) {
                CustomResourceDefinition definition = client.apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .load(in)
                        .item();
                client.apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .resource(definition)
                        .createOr(c -> c.update());
            }
        }
        // Fabric8's CRUD mock answers an apply patch with 415 (and 404 for a new object): it has no server-side
        // apply. The operator process keeps JOSDK's SSA default; here dependents are created and updated, and the
        // status merge-patched, which exercises the same desired state and status. AppServerSideApplyMatchTest
        // covers the SSA matching production does.
        operator = new Operator(o -> ServerSideApply.configure(
                o.withKubernetesClient(client).withCloseClientOnStop(false).checkingCRDAndValidateLocalModel(false),
                false));
        operator.register(
                reconciler != null
                        ? reconciler
                        : new AppReconciler(
                                "berth",
                                new TagDigests(
                                        new ImageResolver(
                                                registry, new PullSecrets(client), Platform.host(), Clock.systemUTC()),
                                        TagDigests.DEFAULT_TTL,
                                        Clock.systemUTC()),
                                Clock.systemUTC()));
        operator.start();
    }

    App apply(String name, AppSpec spec) {
        App app = new App();
        app.getMetadata().setName(name);
        app.getMetadata().setNamespace(NS);
        app.setSpec(spec);
        return client.resource(app).createOr(a -> a.update());
    }

    /** A JSON merge patch of the App's spec, as kubectl patch --type merge: no resourceVersion, no conflict. */
    void patchSpec(String app, String specJson) {
        client.resources(App.class)
                .inNamespace(NS)
                .withName(app)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":" + specJson + "}");
    }

    Image image(String name, String reference, String digest) {
        Image image = new Image();
        image.getMetadata().setName(name);
        image.getMetadata().setNamespace(NS);
        ImageSpec spec = new ImageSpec();
        spec.setImage(reference);
        image.setSpec(spec);
        Image stored = client.resource(image).createOr(i -> i.update());
        if (digest != null) {
            ImageStatus status = new ImageStatus();
            status.setDigest(digest);
            stored.setStatus(status);
            stored = client.resource(stored).updateStatus();
        }
        return stored;
    }

    App app(String name) {
        return client.resources(App.class).inNamespace(NS).withName(name).get();
    }

    Deployment deployment(String name) {
        return client.apps().deployments().inNamespace(NS).withName(name).get();
    }

    Optional<Condition> condition(String app, String type) {
        App current = app(app);
        if (current == null
                || current.getStatus() == null
                || current.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return current.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst();
    }

    /** Waits for the App's condition to hold the status and reason, and returns it. */
    Condition awaitCondition(String app, String type, String status, String reason) {
        return await(
                type + "=" + status + " (" + reason + ") on App " + app,
                () -> condition(app, type)
                        .filter(c -> status.equals(c.getStatus()) && reason.equals(c.getReason()))
                        .orElse(null));
    }

    static <T> T await(String what, Supplier<T> probe) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        T value;
        while ((value = probe.get()) == null || Boolean.FALSE.equals(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after 20 s waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
        return value;
    }

    @Override
    public void close() {
        operator.stop();
        client.resources(App.class).inAnyNamespace().delete();
        client.resources(Image.class).inAnyNamespace().delete();
        client.apps().deployments().inAnyNamespace().delete();
        client.services().inAnyNamespace().delete();
        client.autoscaling().v2().horizontalPodAutoscalers().inAnyNamespace().delete();
        client.pods().inAnyNamespace().delete();
        registry.close();
    }
}
