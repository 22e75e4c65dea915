package dev.berth.runtime;

import java.io.IOException;

/** The OCI runtime (or conmon in front of it) refused or failed; the message carries the runtime's own words. */
public final class OciRuntimeException extends IOException {

    public OciRuntimeException(String message) {
        super(message);
    }

    public OciRuntimeException(String message, Throwable cause) {
        super(message, cause);
    }
}
