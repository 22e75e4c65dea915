package dev.berth.snapshot;

import java.io.IOException;

/** A layer blob berthd cannot unpack as any OCI layer may be (xz or bzip2 compressed): the image's fault. */
public final class UnsupportedLayerException extends IOException {

    private static final long serialVersionUID = 1L;

    public UnsupportedLayerException(String message) {
        super(message);
    }
}
