package dev.berth.operator.testing;

import dev.berth.operator.image.ImageReconciler;
import dev.berth.operator.model.Image;
import dev.berth.operator.model.ImagePull;
import dev.berth.operator.model.ImageSpec;
import dev.berth.operator.model.PrePull;
import dev.berth.operator.nodeagent.ImagePulls;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Images, Nodes and pull secrets in Fabric8's CRUD mock server, with the generated Image CRD installed. */
public final class ImageCluster {
    public static final String NS = "default";
    private static final Path CRDS = Path.of("../../crds");

    private final KubernetesClient client;

    public ImageCluster(KubernetesClient client) {
        this.client = client;
    }

    /** The CRDs tell the mock server that Image and ImagePull have a status subresource. */
    public void installCrd() throws Exception {
        for (String name : List.of("images.berth.dev-v1.yml", "imagepulls.berth.dev-v1.yml")) {
            Path crd = CRDS.resolve(name);
            if (!Files.exists(crd)) {
                throw new IllegalStateException(crd.toAbsolutePath() + " is missing: run ./berth crds");
            }
            try (var in = Files.newInputStream(crd)) {
                client.apiextensions().v1().customResourceDefinitions().load(in).createOr(r -> r.update());
            }
        }
    }

    public void clear() {
        client.resources(Image.class).inAnyNamespace().delete();
        client.resources(ImagePull.class).inAnyNamespace().delete();
        client.nodes().delete();
        client.secrets().inAnyNamespace().delete();
    }

    public Image create(String name, String reference, Map<String, String> prePullSelector, String... pullSecrets) {
        Image image = new Image();
        image.getMetadata().setName(name);
        image.getMetadata().setNamespace(NS);
        ImageSpec spec = new ImageSpec();
        spec.setImage(reference);
        if (pullSecrets.length > 0) {
            spec.setPullSecrets(List.of(pullSecrets));
        }
        if (prePullSelector != null) {
            PrePull prePull = new PrePull();
            prePull.setNodeSelector(prePullSelector);
            spec.setPrePull(prePull);
        }
        image.setSpec(spec);
        image.setStatus(null);
        return client.resources(Image.class).inNamespace(NS).resource(image).create();
    }

    public Image get(String name) {
        return client.resources(Image.class).inNamespace(NS).withName(name).get();
    }

    public Image edit(String name, java.util.function.Consumer<ImageSpec> change) {
        return client.resources(Image.class).inNamespace(NS).withName(name).edit(i -> {
            change.accept(i.getSpec());
            return i;
        });
    }

    /** One reconciliation with what JOSDK's informers would hold, and its status write as JOSDK makes it. */
    public UpdateControl<Image> reconcile(ImageReconciler reconciler, String name) {
        UpdateControl<Image> control = reconciler.reconcile(
                get(name),
                client.resources(ImagePull.class).inNamespace(NS).list().getItems().stream()
                        .filter(p -> name.equals(p.getSpec().getImage()))
                        .toList(),
                client.nodes().list().getItems());
        if (control.isPatchStatus()) {
            client.resource(control.getResource().orElseThrow()).updateStatus();
        }
        return control;
    }

    /** The node's ImagePull of the Image, if its agent wrote one. */
    public Optional<ImagePull> pull(String image, String node) {
        return Optional.ofNullable(client.resources(ImagePull.class)
                .inNamespace(NS)
                .withName(ImagePulls.name(image, node))
                .get());
    }

    public List<ImagePull> pulls() {
        return client.resources(ImagePull.class).inNamespace(NS).list().getItems();
    }

    public void node(String name, Map<String, String> labels) {
        client.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withLabels(labels)
                        .endMetadata()
                        .build())
                .createOr(r -> r.update());
    }

    public void dockerConfigSecret(String name, String registry, String user, String password) {
        String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        String json = "{\"auths\":{\"" + registry + "\":{\"auth\":\"" + auth + "\"}}}";
        client.secrets()
                .inNamespace(NS)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .withType("kubernetes.io/dockerconfigjson")
                        .addToData(
                                ".dockerconfigjson",
                                Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)))
                        .build())
                .create();
    }
}
