package dev.berth.imagestore;

import dev.berth.image.reference.ImageReference;
import dev.berth.image.registry.RegistryException;

/** A pull that failed, classified so the CRI edge can answer with the right status code. */
public final class PullException extends Exception {

    public enum Kind {
        NOT_FOUND,
        UNAUTHENTICATED,
        PERMISSION_DENIED,
        UNAVAILABLE,
        UNSUPPORTED,
        INVALID_IMAGE,
        DIGEST_MISMATCH,
        RATE_LIMITED,
        /** Every caller of the pull has gone (cancelled, or past its deadline). */
        CANCELLED,
        INTERNAL
    }

    private final Kind kind;

    public PullException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public PullException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    static PullException from(ImageReference reference, RegistryException e) {
        Kind kind = switch (e.reason()) {
            case NOT_FOUND -> Kind.NOT_FOUND;
            case UNAUTHORIZED -> Kind.UNAUTHENTICATED;
            case DENIED -> Kind.PERMISSION_DENIED;
            case UNREACHABLE, SERVER_ERROR -> Kind.UNAVAILABLE;
            case UNSUPPORTED -> Kind.UNSUPPORTED;
            case INVALID -> Kind.INVALID_IMAGE;
            case DIGEST_MISMATCH -> Kind.DIGEST_MISMATCH;
            case TOO_MANY_REQUESTS -> Kind.RATE_LIMITED;
        };
        return new PullException(kind, "pulling " + reference + ": " + e.getMessage(), e);
    }

    public Kind kind() {
        return kind;
    }
}
