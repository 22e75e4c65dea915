package dev.berth.operator.image;

/**
 * Why an {@code Image} did not resolve: {@code reason} is the {@code Resolved} condition's reason, the message the
 * registry's own words.
 */
public final class ResolveFailure extends Exception {
    public static final String NOT_FOUND = "NotFound";
    public static final String UNAUTHORIZED = "Unauthorized";
    public static final String UNREACHABLE = "Unreachable";
    public static final String INVALID_REFERENCE = "InvalidReference";
    public static final String REGISTRY_ERROR = "RegistryError";

    private final String reason;

    public ResolveFailure(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
