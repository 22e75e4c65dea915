package dev.berth.imagestore;

import dev.berth.image.reference.ImageReference;
import dev.berth.image.registry.RegistryException;

/** A push that failed, classified so the gRPC edge can answer with the right status code. */
public final class PushException extends Exception {

    public enum Kind {
        UNAUTHENTICATED,
        PERMISSION_DENIED,
        UNAVAILABLE,
        /** The registry refused what was sent (a manifest it cannot take, a repository it does not have). */
        REFUSED,
        /** A blob the image needs is not in the content store. */
        INCOMPLETE_IMAGE,
        RATE_LIMITED,
        INTERNAL
    }

    private final Kind kind;

    public PushException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public PushException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    static PushException from(ImageReference reference, RegistryException e) {
        Kind kind = switch (e.reason()) {
            case UNAUTHORIZED -> Kind.UNAUTHENTICATED;
            case DENIED -> Kind.PERMISSION_DENIED;
            case UNREACHABLE, SERVER_ERROR -> Kind.UNAVAILABLE;
            case TOO_MANY_REQUESTS -> Kind.RATE_LIMITED;
            case NOT_FOUND, UNSUPPORTED, INVALID, DIGEST_MISMATCH -> Kind.REFUSED;
        };
        return new PushException(kind, "pushing " + reference + ": " + e.getMessage(), e);
    }

    public Kind kind() {
        return kind;
    }
}
