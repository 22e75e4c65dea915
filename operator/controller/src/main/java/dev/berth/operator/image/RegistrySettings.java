package dev.berth.operator.image;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.berth.image.registry.RegistryConfig;
import dev.berth.image.registry.RegistryHost;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator's registry mirrors and plain-HTTP registries: a YAML file (a mounted ConfigMap) named by
 * {@value #ENV}, with the {@code registries:} map of berthd's {@code berth.yaml} (other keys are ignored, so the
 * nodes' file works too). Without it every registry is asked directly, over HTTPS unless it is on loopback.
 */
public final class RegistrySettings {
    public static final String ENV = "BERTH_REGISTRY_CONFIG";

    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory()).disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private RegistrySettings() {}

    public static RegistryConfig fromEnvironment(Map<String, String> env) {
        String file = env.get(ENV);
        return file == null || file.isBlank() ? RegistryConfig.empty() : load(Path.of(file));
    }

    /** @throws IllegalArgumentException naming the file and the bad key */
    public static RegistryConfig load(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read registry config " + file + ": " + e.getMessage(), e);
        }
        Map<String, RegistryHost> hosts = new LinkedHashMap<>();
        JsonNode registries = root == null ? null : root.get("registries");
        if (registries == null || registries.isNull()) {
            return new RegistryConfig(hosts);
        }
        if (!registries.isObject()) {
            throw new IllegalArgumentException(file + ": registries must be a map of registry host to settings");
        }
        registries.fields().forEachRemaining(e -> {
            try {
                hosts.put(e.getKey(), host(e.getKey(), YAML.treeToValue(e.getValue(), Registry.class)));
            } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
                throw new IllegalArgumentException(
                        file + ": registries." + e.getKey() + ": " + ex.getOriginalMessage(), ex);
            }
        });
        return new RegistryConfig(hosts);
    }

    private static RegistryHost host(String name, Registry registry) {
        List<URI> mirrors = registry == null || registry.mirrors() == null
                ? List.of()
                : registry.mirrors().stream().map(m -> mirror(name, m)).toList();
        return new RegistryHost(
                mirrors,
                registry != null && Boolean.TRUE.equals(registry.mirrorsOnly()),
                registry != null && Boolean.TRUE.equals(registry.plainHttp()));
    }

    private static URI mirror(String host, String mirror) {
        URI uri = URI.create(mirror.contains("://") ? mirror : "https://" + mirror);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("mirror " + mirror + " of " + host + " must be an http or https URL");
        }
        return uri;
    }

    private record Registry(List<String> mirrors, Boolean mirrorsOnly, Boolean plainHttp) {}
}
