package dev.berth.e2e.operator;

import dev.berth.operator.model.App;
import dev.berth.operator.model.AppStatus;
import dev.berth.operator.model.Image;
import dev.berth.operator.model.ImageStatus;
import dev.berth.testkit.layer.BusyboxImage;
import dev.berth.testkit.registry.ImagePusher;
import dev.berth.testkit.registry.PushedImage;
import dev.berth.testkit.registry.TestImage;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The platform team's story, through the API only: apply the example Image and App (and a bare App with no env,
 * ports, probe, resources or volumes), wait for Ready, push a new
 * image under the same tag, watch the App roll to the new digest, delete the App and see its objects go.
 *
 * @param client          a client of the cluster (real or mock) the operator watches
 * @param namespace       where everything is created; the caller creates and removes it
 * @param pusher          pushes to a registry that both this JVM and the operator (or the cluster's nodes) reach
 * @param repository      the repository to push the two versions to, e.g. {@code e2e/hello}
 * @param runtimeClass    the App's runtimeClassName; null keeps the operator's default
 * @param timeout         the bound on each wait
 */
public record OperatorScenario(
        KubernetesClient client,
        String namespace,
        ImagePusher pusher,
        ExampleResources examples,
        String repository,
        String runtimeClass,
        Duration timeout) {

    /** What the scenario saw, for the test's assertions and the log. */
    public record Outcome(
            String firstDigest,
            String secondDigest,
            String firstDeploymentImage,
            String secondDeploymentImage,
            List<String> ownedKinds) {}

    public Outcome run() throws IOException {
        BusyboxImage busybox = BusyboxImage.fromHost();
        PushedImage v1 = pusher.pushImage(repository, "1", version(busybox, "1"));
        log("pushed %s as %s", v1.reference(), v1.manifestDigest());

        Image image =
                client.resource(examples.image(namespace, v1.reference(), "1s")).create();
        App app = client.resource(examples.app(namespace, runtimeClass)).create();
        App bare = client.resource(examples.bareApp(namespace, runtimeClass)).create();
        String appName = app.getMetadata().getName();

        awaitImageDigest(image.getMetadata().getName(), v1.manifestDigest());
        String firstImage = awaitDeploymentImage(app, v1.manifestDigest());
        awaitAppReady(appName, v1.manifestDigest());
        List<String> ownedKinds = owned(app).stream()
                .map(HasMetadata::getKind)
                .distinct()
                .sorted()
                .toList();
        log("App %s/%s Ready on %s, owns %s", namespace, appName, v1.manifestDigest(), ownedKinds);
        awaitAppReady(bare.getMetadata().getName(), v1.manifestDigest());
        log(
                "App %s/%s (no env, ports, probe, resources or volumes) Ready",
                namespace, bare.getMetadata().getName());
        client.resource(bare).delete();

        PushedImage v2 = pusher.pushImage(repository, "1", version(busybox, "2"));
        log("pushed %s again as %s", v2.reference(), v2.manifestDigest());
        awaitImageDigest(image.getMetadata().getName(), v2.manifestDigest());
        String secondImage = awaitDeploymentImage(app, v2.manifestDigest());
        awaitAppReady(appName, v2.manifestDigest());
        log("App %s/%s rolled to %s", namespace, appName, v2.manifestDigest());

        client.resource(app).delete();
        Await.until("App " + appName + " and everything it owns to be gone", timeout, () -> {
            App current = client.resources(App.class)
                    .inNamespace(namespace)
                    .withName(appName)
                    .get();
            List<String> left = owned(app).stream()
                    .map(o -> o.getKind() + "/" + o.getMetadata().getName())
                    .toList();
            return current == null && left.isEmpty()
                    ? null
                    : "App " + (current == null ? "gone" : "present") + ", owned " + left;
        });
        client.resource(image).delete();
        return new Outcome(v1.manifestDigest(), v2.manifestDigest(), firstImage, secondImage, ownedKinds);
    }

    /** The two versions differ in a label only: the same tag, a new manifest digest, as a rebuild gives. */
    private static TestImage version(BusyboxImage busybox, String version) {
        TestImage base = busybox.image();
        return TestImage.builder()
                .layer(base.layers().getFirst())
                .label("dev.berth.e2e.version", version)
                .build();
    }

    private void awaitImageDigest(String name, String digest) {
        Await.until("Image " + namespace + "/" + name + " to resolve to " + digest, timeout, () -> {
            Image current = client.resources(Image.class)
                    .inNamespace(namespace)
                    .withName(name)
                    .get();
            ImageStatus status = current == null ? null : current.getStatus();
            if (status == null) {
                return current == null ? "Image absent" : "no status";
            }
            boolean resolved = condition(status.getConditions(), ImageStatus.RESOLVED)
                    .map(c -> "True".equals(c.getStatus()))
                    .orElse(false);
            return digest.equals(status.getDigest()) && resolved
                    ? null
                    : "digest " + status.getDigest() + ", conditions " + describe(status.getConditions());
        });
    }

    /** Waits for the App's Deployment to run the digest; returns the container image it names. */
    private String awaitDeploymentImage(App app, String digest) {
        String[] image = new String[1];
        Await.until("the Deployment of App " + app.getMetadata().getName() + " to run " + digest, timeout, () -> {
            List<Deployment> deployments = owned(app).stream()
                    .filter(Deployment.class::isInstance)
                    .map(Deployment.class::cast)
                    .toList();
            if (deployments.size() != 1) {
                return deployments.size() + " Deployments owned by the App";
            }
            List<String> images = deployments.getFirst().getSpec().getTemplate().getSpec().getContainers().stream()
                    .map(c -> c.getImage())
                    .toList();
            image[0] = images.isEmpty() ? null : images.getFirst();
            return image[0] != null && image[0].endsWith("@" + digest) ? null : "container images " + images;
        });
        return image[0];
    }

    private void awaitAppReady(String name, String digest) {
        Await.until("App " + namespace + "/" + name + " to be Ready on " + digest, timeout, () -> {
            App current = client.resources(App.class)
                    .inNamespace(namespace)
                    .withName(name)
                    .get();
            AppStatus status = current == null ? null : current.getStatus();
            if (status == null) {
                return current == null ? "App absent" : "no status";
            }
            boolean ready = condition(status.getConditions(), AppStatus.READY)
                    .map(c -> "True".equals(c.getStatus()))
                    .orElse(false);
            boolean observed = Objects.equals(
                    status.getObservedGeneration(), current.getMetadata().getGeneration());
            return ready && observed && digest.equals(status.getImageDigest())
                    ? null
                    : "imageDigest " + status.getImageDigest() + ", readyReplicas " + status.getReadyReplicas()
                            + ", observedGeneration " + status.getObservedGeneration() + "/"
                            + current.getMetadata().getGeneration()
                            + ", conditions " + describe(status.getConditions());
        });
    }

    /** Deployments, Services and HorizontalPodAutoscalers in the namespace whose owner references name the App. */
    private List<HasMetadata> owned(App app) {
        String uid = app.getMetadata().getUid();
        List<HasMetadata> all = new ArrayList<>();
        all.addAll(client.apps().deployments().inNamespace(namespace).list().getItems());
        all.addAll(client.services().inNamespace(namespace).list().getItems());
        all.addAll(client.autoscaling()
                .v2()
                .horizontalPodAutoscalers()
                .inNamespace(namespace)
                .list()
                .getItems());
        return all.stream()
                .filter(o -> o.getMetadata().getOwnerReferences() != null
                        && o.getMetadata().getOwnerReferences().stream().anyMatch(r -> uid.equals(r.getUid())))
                .toList();
    }

    private static Optional<Condition> condition(List<Condition> conditions, String type) {
        return conditions == null
                ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    private static String describe(List<Condition> conditions) {
        if (conditions == null) {
            return "none";
        }
        return conditions.stream()
                .map(c -> c.getType() + "=" + c.getStatus() + " (" + c.getReason() + ": " + c.getMessage() + ")")
                .toList()
                .toString();
    }

    private static void log(String format, Object... args) {
        System.out.printf("operator e2e: " + format + "%n", args);
    }
}
