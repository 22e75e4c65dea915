package dev.berth.image.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What a pull authenticates with, as CRI's AuthConfig carries it. Every field is nullable.
 * {@link #toString()} never shows a secret: records end up in logs.
 */
public record RegistryCredentials(
        String username, String password, String identityToken, String registryToken, String serverAddress) {

    public static final RegistryCredentials NONE = new RegistryCredentials(null, null, null, null, null);

    /** From Docker's {@code auth} field: base64 of {@code user:password}. */
    public static RegistryCredentials fromAuth(String base64UserColonPassword, String serverAddress) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(base64UserColonPassword.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("auth is not valid base64");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("auth does not decode to user:password");
        }
        return new RegistryCredentials(
                decoded.substring(0, colon), decoded.substring(colon + 1), null, null, serverAddress);
    }

    public boolean isEmpty() {
        return blank(username) && blank(password) && blank(identityToken) && blank(registryToken);
    }

    boolean hasPassword() {
        return !blank(username) && password != null;
    }

    private static boolean blank(String s) {
        return s == null || s.isEmpty();
    }

    @Override
    public String toString() {
        return "RegistryCredentials[username=" + (username == null ? "" : username)
                + ", password=" + (blank(password) ? "" : "<redacted>")
                + ", identityToken=" + (blank(identityToken) ? "" : "<redacted>")
                + ", registryToken=" + (blank(registryToken) ? "" : "<redacted>")
                + ", serverAddress=" + (serverAddress == null ? "" : serverAddress) + "]";
    }
}
