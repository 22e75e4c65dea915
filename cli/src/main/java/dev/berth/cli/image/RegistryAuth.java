package dev.berth.cli.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.cli.CliException;
import dev.berth.cri.v1.AuthConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The credentials a push sends to a registry, found as docker and podman find them: {@code --creds user:pass},
 * else the {@code auths} entry for the registry in {@code --authfile}, else in {@code $DOCKER_CONFIG/config.json}
 * or {@code ~/.docker/config.json}. Nothing found is no credentials: an open registry needs none. The secrets
 * are handed on, never printed.
 */
public final class RegistryAuth {

    private static final Set<String> DOCKER_HUB = Set.of("docker.io", "index.docker.io", "registry-1.docker.io");

    private RegistryAuth() {}

    /** The auth for the registry of {@code image}; {@code creds} and {@code authfile} may be null. */
    public static AuthConfig forImage(String image, String creds, Path authfile, Map<String, String> env) {
        String registry = registryOf(image);
        if (creds != null) {
            int colon = creds.indexOf(':');
            if (colon <= 0) {
                throw new CliException("--creds must be USER:PASSWORD");
            }
            return AuthConfig.newBuilder()
                    .setUsername(creds.substring(0, colon))
                    .setPassword(creds.substring(colon + 1))
                    .setServerAddress(registry)
                    .build();
        }
        Path file = authfile != null ? authfile : defaultFile(env);
        if (file == null || !Files.isRegularFile(file)) {
            if (authfile != null) {
                throw new CliException("--authfile " + authfile + " does not exist");
            }
            return AuthConfig.getDefaultInstance();
        }
        JsonNode auths;
        try {
            auths = readAuths(file);
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": it is not JSON");
        }
        for (java.util.Iterator<Map.Entry<String, JsonNode>> entries = auths.fields(); entries.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = entries.next();
            if (sameRegistry(hostOf(entry.getKey()), registry)) {
                return auth(entry.getValue(), registry);
            }
        }
        return AuthConfig.getDefaultInstance();
    }

    /**
     * Every registry's credentials in {@code $DOCKER_CONFIG/config.json} or {@code ~/.docker/config.json}, keyed by
     * host: a build's FROM images may come from any of them. None when there is no such file.
     */
    public static Map<String, AuthConfig> all(Map<String, String> env) {
        Path file = defaultFile(env);
        Map<String, AuthConfig> all = new java.util.LinkedHashMap<>();
        if (file == null || !Files.isRegularFile(file)) {
            return all;
        }
        try {
            readAuths(file).fields().forEachRemaining(entry -> {
                String host = hostOf(entry.getKey());
                all.put(host, auth(entry.getValue(), host));
            });
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": it is not JSON");
        }
        return all;
    }

    /**
     * A mapper of its own, made only when there is a file: building one loads ~400 Jackson classes (~0.1 s of a
     * build's CLI start) that a machine without docker credentials never needs.
     */
    private static JsonNode readAuths(Path file) throws IOException {
        return new ObjectMapper().readTree(file.toFile()).path("auths");
    }

    private static AuthConfig auth(JsonNode entry, String registry) {
        AuthConfig.Builder auth = AuthConfig.newBuilder().setServerAddress(registry);
        if (!entry.path("auth").asText("").isEmpty()) {
            auth.setAuth(entry.path("auth").asText());
        }
        if (!entry.path("username").asText("").isEmpty()) {
            auth.setUsername(entry.path("username").asText())
                    .setPassword(entry.path("password").asText(""));
        }
        if (!entry.path("identitytoken").asText("").isEmpty()) {
            auth.setIdentityToken(entry.path("identitytoken").asText());
        }
        return auth.build();
    }

    private static Path defaultFile(Map<String, String> env) {
        String dockerConfig = env.get("DOCKER_CONFIG");
        if (dockerConfig != null && !dockerConfig.isBlank()) {
            return Path.of(dockerConfig, "config.json");
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return home == null ? null : Path.of(home, ".docker", "config.json");
    }

    /** The registry host of a reference, as docker splits it: a first component with a dot, a colon, or localhost. */
    public static String registryOf(String image) {
        int slash = image.indexOf('/');
        if (slash < 0) {
            return "docker.io";
        }
        String first = image.substring(0, slash);
        return first.contains(".") || first.contains(":") || first.equals("localhost") ? first : "docker.io";
    }

    /** An {@code auths} key is a host, or a URL such as {@code https://index.docker.io/v1/}. */
    private static String hostOf(String key) {
        String host = key.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
        int slash = host.indexOf('/');
        return slash < 0 ? host : host.substring(0, slash);
    }

    private static boolean sameRegistry(String a, String b) {
        return a.equals(b) || DOCKER_HUB.contains(a) && DOCKER_HUB.contains(b);
    }
}
