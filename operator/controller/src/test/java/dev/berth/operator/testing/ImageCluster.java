package dev.berth.operator.testing;

import dev.berth.operator.model.Image;
import dev.berth.operator.model.ImageSpec;
import dev.berth.operator.model.PrePull;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Images, Nodes and pull secrets in Fabric8's CRUD mock server, with the generated Image CRD installed. */
public final class ImageCluster {
    public static final String NS = "default";
    private static final Path CRD = Path.of("../../crds/images.berth.dev-v1.yml");

    private final KubernetesClient client;

    public ImageCluster(KubernetesClient client) {
        this.client = client;
    }

    /** The CRD tells the mock server that Image has a status subresource. */
    public void installCrd() throws Exception {
        if (!Files.exists(CRD)) {
            throw new IllegalStateException(CRD.toAbsolutePath() + " is missing: run ./berth crds");
        }
        try (var in = Files.newInputStream(CRD)) {
            client.apiextensions().v1().customResourceDefinitions().load(in).createOr(r -> r.update());
        }
    }

    public void clear() {
        client.resources(Image.class).inAnyNamespace().delete();
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
