package dev.berth.imagestore;

import dev.berth.image.Digest;
import java.io.IOException;

/** A layer whose bytes match their digest but are not a valid (compressed) tar: the image is broken. */
final class CorruptLayerException extends IOException {

    CorruptLayerException(Digest layer, IOException cause) {
        super("layer " + layer + " is not a valid layer archive: " + cause.getMessage(), cause);
    }
}
