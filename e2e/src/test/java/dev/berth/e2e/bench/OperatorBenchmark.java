package dev.berth.e2e.bench;

import dev.berth.e2e.operator.Await;
import dev.berth.e2e.operator.MockCluster;
import dev.berth.e2e.operator.RepoPaths;
import dev.berth.operator.model.App;
import dev.berth.operator.model.AppSpec;
import dev.berth.operator.model.Image;
import dev.berth.operator.model.ImageSpec;
import dev.berth.testkit.layer.BusyboxImage;
import dev.berth.testkit.registry.ImagePusher;
import dev.berth.testkit.registry.PushedImage;
import dev.berth.testkit.registry.RegistryFixture;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * 500 Apps created at once against Fabric8's CRUD mock server, the operator in its own JVM from the shaded jar:
 * time until all Deployments exist, until all App statuses are written (observedGeneration caught up), and the
 * operator's RSS idle and after. Two variants: every App pins {@code repo@sha256:…} (no registry look-up per App),
 * and every App names one Image ({@code imageRef}) that the operator resolves once in the local registry.
 */
public final class OperatorBenchmark {
    static final int APPS = 500;
    private static final String NAMESPACE = "bench";
    private static final Duration PER_VARIANT = Duration.ofSeconds(75);
    private static final int CREATE_CONCURRENCY = 32;

    public enum Variant {
        PINNED_DIGEST,
        IMAGE_REF
    }

    /** Seconds from the first create; RSS in KiB. */
    public record Figures(
            Variant variant,
            int apps,
            double deploymentsSeconds,
            double statusesSeconds,
            long rssIdleKib,
            long rssAfterKib) {}

    public static void main(String[] args) throws Exception {
        run();
    }

    public static List<Figures> run() throws Exception {
        RepoPaths repo = RepoPaths.locate();
        Path jar = repo.operatorJar();
        Path work = Files.createTempDirectory("berth-operator-bench-");
        List<Figures> all = new ArrayList<>();
        try (RegistryFixture registry = RegistryFixture.start()) {
            PushedImage pushed = new ImagePusher(registry)
                    .pushImage("bench/app", "1", BusyboxImage.fromHost().image());
            for (Variant variant : Variant.values()) {
                Figures figures = runVariant(variant, repo, jar, work, registry, pushed);
                print(figures);
                all.add(figures);
            }
        } finally {
            deleteTree(work);
        }
        return all;
    }

    private static Figures runVariant(
            Variant variant, RepoPaths repo, Path jar, Path work, RegistryFixture registry, PushedImage pushed)
            throws Exception {
        try (MockCluster cluster = MockCluster.start(repo)) {
            KubernetesClient client = cluster.client();
            client.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(NAMESPACE)
                            .endMetadata()
                            .build())
                    .create();
            Path kubeconfig = cluster.writeKubeconfig(work.resolve(variant + ".kubeconfig"), NAMESPACE);
            try (OperatorJvm operator = OperatorJvm.start(
                    jar, kubeconfig, NAMESPACE, work.resolve(variant + ".log"), Duration.ofSeconds(60))) {
                try {
                    String image = registry.reference("bench/app@" + pushed.manifestDigest());
                    if (variant == Variant.IMAGE_REF) {
                        image = resolvedImage(client, registry.reference("bench/app:1"), pushed.manifestDigest());
                    }
                    // Let start-up garbage go and the JIT settle before the idle figure.
                    Thread.sleep(2_000);
                    long rssIdle = operator.rssKib();
                    return measure(variant, client, image, operator, rssIdle);
                } catch (RuntimeException | AssertionError e) {
                    throw new AssertionError(
                            variant + ": " + e.getMessage() + "; operator log: " + operator.logTail(), e);
                }
            }
        }
    }

    /** Creates the Image and waits for its digest; returns the Image's name for the Apps' imageRef. */
    private static String resolvedImage(KubernetesClient client, String reference, String digest) {
        Image image = new Image();
        image.setMetadata(new ObjectMetaBuilder()
                .withName("shared")
                .withNamespace(NAMESPACE)
                .build());
        ImageSpec spec = new ImageSpec();
        spec.setImage(reference);
        image.setSpec(spec);
        client.resource(image).create();
        Await.until("Image shared to resolve to " + digest, Duration.ofSeconds(30), () -> {
            Image current = client.resources(Image.class)
                    .inNamespace(NAMESPACE)
                    .withName("shared")
                    .get();
            String seen =
                    current.getStatus() == null ? null : current.getStatus().getDigest();
            return digest.equals(seen) ? null : "digest " + seen;
        });
        return "shared";
    }

    private static Figures measure(
            Variant variant, KubernetesClient client, String image, OperatorJvm operator, long rssIdle)
            throws Exception {
        long t0 = System.nanoTime();
        createApps(variant, client, image);
        double[] deployments = {Double.NaN};
        double[] statuses = {Double.NaN};
        Await.until(APPS + " Deployments and " + APPS + " written App statuses", PER_VARIANT, () -> {
            double now = (System.nanoTime() - t0) / 1e9;
            int d = client.apps()
                    .deployments()
                    .inNamespace(NAMESPACE)
                    .list()
                    .getItems()
                    .size();
            if (d >= APPS && Double.isNaN(deployments[0])) {
                deployments[0] = now;
            }
            long s = client.resources(App.class).inNamespace(NAMESPACE).list().getItems().stream()
                    .filter(a -> a.getStatus() != null
                            && Objects.equals(
                                    a.getStatus().getObservedGeneration(),
                                    a.getMetadata().getGeneration()))
                    .count();
            if (s >= APPS && Double.isNaN(statuses[0])) {
                statuses[0] = now;
            }
            return d >= APPS && s >= APPS ? null : d + " Deployments, " + s + " statuses";
        });
        return new Figures(variant, APPS, deployments[0], statuses[0], rssIdle, operator.rssKib());
    }

    /** All at once, as `kubectl apply -f` of a big file does, bounded only to keep the client's connections sane. */
    private static void createApps(Variant variant, KubernetesClient client, String image) throws Exception {
        Semaphore inFlight = new Semaphore(CREATE_CONCURRENCY);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> creates = new ArrayList<>();
            for (int i = 0; i < APPS; i++) {
                App app = app(String.format("app-%03d", i), variant, image);
                creates.add(pool.submit(() -> {
                    inFlight.acquire();
                    try {
                        return client.resource(app).create();
                    } finally {
                        inFlight.release();
                    }
                }));
            }
            for (Future<?> create : creates) {
                create.get();
            }
        }
    }

    private static App app(String name, Variant variant, String image) {
        App app = new App();
        app.setMetadata(
                new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
        AppSpec spec = new AppSpec();
        if (variant == Variant.IMAGE_REF) {
            spec.setImageRef(image);
        } else {
            spec.setImage(image);
        }
        spec.setCommand(List.of("sleep", "3600"));
        app.setSpec(spec);
        return app;
    }

    private static void print(Figures f) {
        System.out.printf(
                "operator bench %-13s %d Apps: all Deployments after %.2f s, all statuses after %.2f s; "
                        + "operator RSS idle %.1f MiB, after %.1f MiB%n",
                f.variant(),
                f.apps(),
                f.deploymentsSeconds(),
                f.statusesSeconds(),
                f.rssIdleKib() / 1024.0,
                f.rssAfterKib() / 1024.0);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
