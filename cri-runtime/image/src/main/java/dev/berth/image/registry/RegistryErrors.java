package dev.berth.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Turns a registry's error answer into the words it used, and its HTTP status into a reason. */
final class RegistryErrors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_TEXT = 300;

    private RegistryErrors() {}

    /** A request that got no answer: a timeout, a connection failure, or the caller's interrupt (kept set). */
    static RegistryException sendFailed(Object endpoint, String method, URI uri, Duration timeout, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new RegistryException(RegistryException.Reason.UNREACHABLE, "interrupted talking to " + endpoint, e);
        }
        if (e instanceof HttpTimeoutException && timeout != null) {
            return new RegistryException(
                    RegistryException.Reason.UNREACHABLE,
                    "registry " + endpoint + " sent no answer to " + method + " " + uri.getRawPath() + " within "
                            + timeout.toMillis() + " ms",
                    e);
        }
        return new RegistryException(
                RegistryException.Reason.UNREACHABLE,
                "registry " + endpoint + " unreachable: " + (e.getMessage() == null ? e.toString() : e.getMessage()),
                e);
    }

    static String describe(int status, byte[] body) {
        List<String> messages = new ArrayList<>();
        try {
            JsonNode root = JSON.readTree(body);
            if (root != null) {
                root.path("errors")
                        .forEach(e -> messages.add((e.path("code").asText("") + ": "
                                        + e.path("message").asText(""))
                                .replaceAll("^: ", "")));
                if (messages.isEmpty() && root.hasNonNull("details")) {
                    messages.add(root.get("details").asText());
                }
            }
        } catch (Exception e) {
            // not JSON: fall back to the text below
        }
        if (messages.isEmpty() && body != null && body.length > 0) {
            String text = new String(body, 0, Math.min(body.length, MAX_TEXT), StandardCharsets.UTF_8).strip();
            if (!text.isEmpty()) {
                messages.add(text);
            }
        }
        return "HTTP " + status + (messages.isEmpty() ? "" : " " + String.join("; ", messages));
    }

    static RegistryException.Reason reason(int status) {
        return switch (status) {
            case 401 -> RegistryException.Reason.UNAUTHORIZED;
            case 403 -> RegistryException.Reason.DENIED;
            case 404 -> RegistryException.Reason.NOT_FOUND;
            case 429 -> RegistryException.Reason.TOO_MANY_REQUESTS;
            default -> status >= 500 ? RegistryException.Reason.SERVER_ERROR : RegistryException.Reason.INVALID;
        };
    }
}
