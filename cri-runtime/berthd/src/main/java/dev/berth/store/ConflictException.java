package dev.berth.store;

/**
 * The request cannot be served in the object's current state (a container started twice, a container
 * created in a stopped pod), or a name is already taken.
 */
public final class ConflictException extends Exception {

    public enum Kind {
        ALREADY_EXISTS,
        WRONG_STATE
    }

    private final Kind kind;

    public ConflictException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
