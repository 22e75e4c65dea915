package dev.berth.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers registry auth challenges as Docker and containerd do: Bearer tokens from the challenge's
 * realm (anonymous, with Basic credentials, with an OAuth2 refresh token, or a registry token given
 * as is), or Basic auth. Authorization values are cached per endpoint and repository until they
 * expire, so a pull asks the token service once.
 */
final class Authenticator {

    private static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(60);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private record Cached(String authorization, long expiresAtNanos) {}

    private final RegistryHttp http;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    Authenticator(RegistryHttp http) {
        this.http = http;
    }

    Optional<String> cached(String key) {
        Cached c = cache.get(key);
        if (c == null || System.nanoTime() > c.expiresAtNanos()) {
            return Optional.empty();
        }
        return Optional.of(c.authorization());
    }

    void forget(String key) {
        cache.remove(key);
    }

    /** Answers a 401's challenge; the result is cached under {@code key}. */
    String answer(String key, AuthChallenge challenge, String repository, RegistryCredentials credentials)
            throws RegistryException {
        return answer(key, challenge, repository, credentials, List.of());
    }

    /**
     * As {@link #answer(String, AuthChallenge, String, RegistryCredentials)}, asking a token service for
     * {@code scopes} (a push's {@code repository:<name>:pull,push}, a mount's source) instead of the
     * challenge's own, which names only what the one request needed.
     */
    String answer(
            String key,
            AuthChallenge challenge,
            String repository,
            RegistryCredentials credentials,
            List<String> scopes)
            throws RegistryException {
        String authorization;
        long lifetimeNanos;
        switch (challenge.scheme()) {
            case "basic" -> {
                if (!credentials.hasPassword()) {
                    throw new RegistryException(
                            RegistryException.Reason.UNAUTHORIZED,
                            "registry requires basic authentication and no credentials were given");
                }
                authorization = basic(credentials);
                lifetimeNanos = Duration.ofHours(1).toNanos();
            }
            case "bearer" -> {
                TokenResponse token = bearerToken(challenge, repository, credentials, scopes);
                authorization = "Bearer " + token.token();
                lifetimeNanos = token.lifetime().toNanos();
            }
            default ->
                throw new RegistryException(
                        RegistryException.Reason.UNAUTHORIZED,
                        "registry asks for unsupported authentication scheme '" + challenge.scheme() + "'");
        }
        cache.put(key, new Cached(authorization, System.nanoTime() + lifetimeNanos));
        return authorization;
    }

    private record TokenResponse(String token, Duration lifetime) {}

    private TokenResponse bearerToken(
            AuthChallenge challenge, String repository, RegistryCredentials credentials, List<String> scopes)
            throws RegistryException {
        if (credentials.registryToken() != null && !credentials.registryToken().isEmpty()) {
            return new TokenResponse(credentials.registryToken(), DEFAULT_TOKEN_LIFETIME);
        }
        String realm = challenge.params().get("realm");
        if (realm == null || realm.isBlank()) {
            throw new RegistryException(RegistryException.Reason.UNAUTHORIZED, "bearer challenge without a realm");
        }
        String service = challenge.params().get("service");
        List<String> asked = scopes.isEmpty()
                ? List.of(challenge.params().getOrDefault("scope", "repository:" + repository + ":pull"))
                : scopes;
        StringBuilder scopeParams = new StringBuilder();
        for (String scope : asked) {
            scopeParams
                    .append(scopeParams.isEmpty() ? "" : "&")
                    .append("scope=")
                    .append(encode(scope));
        }
        HttpRequest request;
        if (credentials.identityToken() != null && !credentials.identityToken().isEmpty()) {
            String form = "grant_type=refresh_token&client_id=berth"
                    + "&refresh_token=" + encode(credentials.identityToken())
                    + (service == null ? "" : "&service=" + encode(service))
                    + "&" + scopeParams;
            request = HttpRequest.newBuilder(URI.create(realm))
                    .timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form))
                    .build();
        } else {
            String query = (service == null ? "" : "service=" + encode(service) + "&") + scopeParams;
            URI uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
            HttpRequest.Builder builder =
                    HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET();
            if (credentials.hasPassword()) {
                builder.header("Authorization", basic(credentials));
            }
            request = builder.build();
        }
        HttpResponse<byte[]> response;
        try {
            response = http.client().send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new RegistryException(
                    RegistryException.Reason.UNREACHABLE,
                    "token service " + URI.create(realm).getAuthority() + " unreachable: " + e.getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(RegistryException.Reason.UNREACHABLE, "interrupted while fetching a token", e);
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new RegistryException(
                    response.statusCode() == 401
                            ? RegistryException.Reason.UNAUTHORIZED
                            : RegistryException.Reason.DENIED,
                    "token service refused " + (credentials.isEmpty() ? "anonymous access" : "the credentials") + ": "
                            + RegistryErrors.describe(response.statusCode(), response.body()));
        }
        if (response.statusCode() / 100 != 2) {
            throw new RegistryException(
                    RegistryException.Reason.SERVER_ERROR,
                    "token service answered " + RegistryErrors.describe(response.statusCode(), response.body()));
        }
        try {
            JsonNode body = json.readTree(response.body());
            String token = body.path("token").asText(body.path("access_token").asText(""));
            if (token.isEmpty()) {
                throw new RegistryException(RegistryException.Reason.INVALID, "token service answered without a token");
            }
            long expiresIn = body.path("expires_in").asLong(DEFAULT_TOKEN_LIFETIME.toSeconds());
            // Renew a little early so a token never expires between the check and the request.
            return new TokenResponse(token, Duration.ofSeconds(Math.max(1, expiresIn - 5)));
        } catch (IOException e) {
            throw new RegistryException(RegistryException.Reason.INVALID, "token service answered invalid JSON", e);
        }
    }

    private static String basic(RegistryCredentials credentials) {
        String pair = credentials.username() + ":" + credentials.password();
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
