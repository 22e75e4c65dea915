package dev.berth.image.registry;

import java.io.IOException;

/** A registry body that sent no byte within the progress timeout; its message names the registry. */
public final class StalledReadException extends IOException {

    StalledReadException(String message, IOException cause) {
        super(message, cause);
    }
}
