package dev.berth.image.registry;

/** A registry conversation that failed; the message carries what the registry itself said. */
public final class RegistryException extends Exception {

    public enum Reason {
        NOT_FOUND,
        UNAUTHORIZED,
        DENIED,
        UNREACHABLE,
        UNSUPPORTED,
        INVALID,
        DIGEST_MISMATCH,
        TOO_MANY_REQUESTS,
        SERVER_ERROR
    }

    private final Reason reason;

    public RegistryException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RegistryException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** Whether another mirror or the upstream registry might still serve what this one did not. */
    boolean worthTryingElsewhere() {
        return switch (reason) {
            case NOT_FOUND, UNREACHABLE, SERVER_ERROR, TOO_MANY_REQUESTS, UNAUTHORIZED, DENIED -> true;
            case UNSUPPORTED, INVALID, DIGEST_MISMATCH -> false;
        };
    }
}
