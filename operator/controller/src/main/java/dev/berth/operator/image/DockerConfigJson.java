package dev.berth.operator.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.image.registry.RegistryCredentials;
import java.io.IOException;
import java.net.URI;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code .dockerconfigjson} of a {@code kubernetes.io/dockerconfigjson} Secret: {@code auths} keyed by registry
 * (a host, or a URL such as Docker Hub's {@code https://index.docker.io/v1/}). Error messages never quote the content:
 * it is a credential.
 */
public final class DockerConfigJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode auths;

    private DockerConfigJson(JsonNode auths) {
        this.auths = auths;
    }

    /** @throws IllegalArgumentException when the bytes are not a docker config with {@code auths} */
    public static DockerConfigJson parse(byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("is not valid JSON");
        }
        if (root == null || !root.path("auths").isObject()) {
            throw new IllegalArgumentException("has no \"auths\" object");
        }
        return new DockerConfigJson(root.get("auths"));
    }

    /** The credentials for a registry host ({@code docker.io}, {@code 127.0.0.1:5000}), if the config has any. */
    public Optional<RegistryCredentials> forRegistry(String registry) {
        String wanted = normalise(registry);
        for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (normalise(entry.getKey()).equals(wanted)) {
                return Optional.of(credentials(entry.getValue(), registry));
            }
        }
        return Optional.empty();
    }

    private static RegistryCredentials credentials(JsonNode entry, String registry) {
        String auth = text(entry, "auth");
        if (auth != null && !auth.isBlank()) {
            RegistryCredentials basic = RegistryCredentials.fromAuth(auth, registry);
            return new RegistryCredentials(
                    basic.username(),
                    basic.password(),
                    text(entry, "identitytoken"),
                    text(entry, "registrytoken"),
                    registry);
        }
        return new RegistryCredentials(
                text(entry, "username"),
                text(entry, "password"),
                text(entry, "identitytoken"),
                text(entry, "registrytoken"),
                registry);
    }

    /** Host and port only, with Docker Hub's many names folded into {@code docker.io}, as kubelet matches them. */
    static String normalise(String key) {
        String host = key.strip();
        if (host.contains("://")) {
            URI uri = URI.create(host);
            host = uri.getRawAuthority() == null ? host : uri.getRawAuthority();
        }
        int slash = host.indexOf('/');
        if (slash >= 0) {
            host = host.substring(0, slash);
        }
        host = host.toLowerCase(java.util.Locale.ROOT);
        return switch (host) {
            case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> "docker.io";
            default -> host;
        };
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
