package dev.berth.image.registry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests of one push to one repository, authenticated as pulls are (Bearer token or Basic, answered
 * from the registry's challenge) but asking the token service for the push's scopes, so one token serves
 * every HEAD, POST, PATCH and PUT. A 401 is answered once and the request sent again, its body made anew.
 * Upload URLs on another host never get the registry's credentials.
 */
final class PushHttp {

    private static final Logger log = LoggerFactory.getLogger(PushHttp.class);

    private final HttpClient http;
    private final Authenticator authenticator;
    private final RegistryConfig.Endpoint endpoint;
    private final String repository;
    private final RegistryCredentials credentials;
    private final List<String> scopes;
    private final String authKey;
    private final PushSettings settings;

    PushHttp(
            HttpClient http,
            Authenticator authenticator,
            RegistryConfig.Endpoint endpoint,
            String repository,
            RegistryCredentials credentials,
            List<String> scopes,
            PushSettings settings) {
        this.http = http;
        this.settings = settings;
        this.authenticator = authenticator;
        this.endpoint = endpoint;
        this.repository = repository;
        this.credentials = credentials;
        this.scopes = List.copyOf(scopes);
        this.authKey = endpoint.base() + "|" + repository + "|push|" + String.join(" ", scopes) + "|"
                + System.identityHashCode(credentials);
    }

    URI resolve(String pathAfterRepository) {
        return endpoint.resolve(repository + "/" + pathAfterRepository);
    }

    /** A URL the registry answered with (an upload's Location), relative or absolute. */
    URI follow(URI current, HttpResponse<?> response) throws RegistryException {
        String location = response.headers()
                .firstValue("Location")
                .orElseThrow(() -> new RegistryException(
                        RegistryException.Reason.INVALID,
                        endpoint + " answered " + response.statusCode() + " without a Location for "
                                + current.getRawPath()));
        return current.resolve(location);
    }

    /** One request; {@code body} is asked for a fresh publisher per attempt (null for none). */
    HttpResponse<byte[]> send(
            String method,
            URI uri,
            Supplier<HttpRequest.BodyPublisher> body,
            Map<String, String> headers,
            long bodyLength)
            throws RegistryException {
        Duration timeout = settings.timeoutFor(bodyLength);
        boolean sameHost = sameHost(uri, endpoint.base());
        String authorization = sameHost ? authenticator.cached(authKey).orElse(null) : null;
        boolean answered = false;
        while (true) {
            HttpResponse<byte[]> response = exchange(method, uri, body, headers, timeout, authorization);
            if (response.statusCode() != 401 || answered || !sameHost) {
                return response;
            }
            authorization = reauthorize(authorization, response);
            answered = true;
        }
    }

    /**
     * A fresh authorization after a 401. Parallel uploads that meet the challenge at once share one answer:
     * whoever comes second finds the first one's token cached and uses it.
     */
    private synchronized String reauthorize(String refused, HttpResponse<byte[]> response) throws RegistryException {
        String cached = authenticator.cached(authKey).orElse(null);
        if (cached != null && !cached.equals(refused)) {
            return cached;
        }
        authenticator.forget(authKey);
        String header = response.headers().firstValue("WWW-Authenticate").orElse("");
        AuthChallenge challenge = AuthChallenge.parse(header)
                .orElseThrow(() -> new RegistryException(
                        RegistryException.Reason.UNAUTHORIZED,
                        endpoint + " refused " + repository + " without a challenge: "
                                + RegistryErrors.describe(401, response.body())));
        return authenticator.answer(authKey, challenge, repository, credentials, scopes);
    }

    /** The registry's refusal of {@code what} as an exception that keeps its words and the status's reason. */
    RegistryException refused(String what, HttpResponse<byte[]> response) {
        return new RegistryException(
                RegistryErrors.reason(response.statusCode()),
                endpoint + " answered " + RegistryErrors.describe(response.statusCode(), response.body()) + " for "
                        + what);
    }

    private HttpResponse<byte[]> exchange(
            String method,
            URI uri,
            Supplier<HttpRequest.BodyPublisher> body,
            Map<String, String> headers,
            Duration timeout,
            String authorization)
            throws RegistryException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body.get())
                .header("User-Agent", "berth");
        headers.forEach(request::header);
        request.timeout(timeout);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            log.debug("{} {} -> {}", method, uri.getRawPath(), response.statusCode());
            return response;
        } catch (IOException | InterruptedException e) {
            throw RegistryErrors.sendFailed(endpoint, method, uri, timeout, e);
        }
    }

    private static boolean sameHost(URI a, URI b) {
        return Objects.equals(a.getHost(), b.getHost()) && a.getPort() == b.getPort();
    }
}
