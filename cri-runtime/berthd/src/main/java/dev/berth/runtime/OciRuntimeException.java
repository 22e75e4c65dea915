package dev.berth.runtime;

import java.io.IOException;

/** The OCI runtime (or conmon in front of it) refused or failed; the message carries the runtime's own words. */
public final class OciRuntimeException extends IOException {

    /** Whose fault the failure is, as far as the runtime's words tell. */
    public enum Kind {
        /** The runtime or the node: berthd cannot tell the client how to do better. */
        RUNTIME,
        /** The container's process cannot be executed (no such program, not executable): the request's fault. */
        CANNOT_EXECUTE,
        /**
         * The kernel refused a resource value of an update that is in range on its own but not for this container
         * now: a CPU quota past its pod's, a memory limit below what it uses. The request's fault, given the state.
         */
        RESOURCES_REFUSED
    }

    private final Kind kind;

    public OciRuntimeException(String message) {
        this(Kind.RUNTIME, message);
    }

    public OciRuntimeException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public OciRuntimeException(String message, Throwable cause) {
        super(message, cause);
        this.kind = Kind.RUNTIME;
    }

    public Kind kind() {
        return kind;
    }
}
