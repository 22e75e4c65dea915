package dev.berth.build;

/** A build that cannot go on; {@link Kind} says whose fault, for the status the client gets. */
public final class BuildException extends Exception {

    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** A Dockerfile error, bad options, a context that escapes its root. */
        INVALID,
        /** A FROM image no registry has, a COPY source that is not there. */
        NOT_FOUND,
        /** A RUN whose process exited non-zero. */
        RUN_FAILED,
        /** The client went away. */
        CANCELLED,
        /** Anything else: berthd's own failure. */
        INTERNAL
    }

    private final Kind kind;

    public BuildException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public BuildException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
