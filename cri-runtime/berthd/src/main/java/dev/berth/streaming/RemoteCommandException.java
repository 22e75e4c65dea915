package dev.berth.streaming;

import java.io.IOException;

/** A remote command that could not be run at all; its message reaches the client on the error stream. */
public final class RemoteCommandException extends IOException {

    public RemoteCommandException(String message) {
        super(message);
    }

    public RemoteCommandException(String message, Throwable cause) {
        super(message, cause);
    }
}
