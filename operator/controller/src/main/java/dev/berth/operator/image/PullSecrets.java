package dev.berth.operator.image;

import dev.berth.image.registry.RegistryCredentials;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Reads an Image's {@code spec.pullSecrets} ({@code kubernetes.io/dockerconfigjson} Secrets in its namespace) and
 * picks the credentials for the image's registry, as kubelet does: the first secret with a matching entry wins, a
 * missing or malformed secret is skipped and reported, never fatal (the image may be public).
 */
public final class PullSecrets {
    public static final String TYPE = "kubernetes.io/dockerconfigjson";
    public static final String KEY = ".dockerconfigjson";

    private final KubernetesClient client;

    public PullSecrets(KubernetesClient client) {
        this.client = client;
    }

    public PullCredentials forRegistry(String namespace, List<String> secretNames, String registry) {
        List<String> problems = new ArrayList<>();
        if (secretNames == null) {
            return new PullCredentials(RegistryCredentials.NONE, problems);
        }
        for (String name : secretNames) {
            Secret secret =
                    client.secrets().inNamespace(namespace).withName(name).get();
            if (secret == null) {
                problems.add("secret " + namespace + "/" + name + " not found");
                continue;
            }
            Optional<RegistryCredentials> found = read(secret, registry, problems);
            if (found.isPresent()) {
                return new PullCredentials(found.get(), problems);
            }
        }
        if (!secretNames.isEmpty() && problems.isEmpty()) {
            problems.add("none of " + secretNames + " has credentials for " + registry);
        }
        return new PullCredentials(RegistryCredentials.NONE, problems);
    }

    private static Optional<RegistryCredentials> read(Secret secret, String registry, List<String> problems) {
        String name =
                secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName();
        if (!TYPE.equals(secret.getType())) {
            problems.add("secret " + name + " is of type " + secret.getType() + ", not " + TYPE);
            return Optional.empty();
        }
        String encoded = secret.getData() == null ? null : secret.getData().get(KEY);
        if (encoded == null) {
            problems.add("secret " + name + " has no " + KEY);
            return Optional.empty();
        }
        try {
            return DockerConfigJson.parse(Base64.getDecoder().decode(encoded)).forRegistry(registry);
        } catch (IllegalArgumentException e) {
            problems.add("secret " + name + " " + KEY + " " + e.getMessage());
            return Optional.empty();
        }
    }
}
