package dev.berth.build.copy;

import java.io.IOException;

/** A COPY or ADD source that is not in its context, stage or image. */
public final class CopySourceMissingException extends IOException {

    private static final long serialVersionUID = 1L;

    public CopySourceMissingException(String source, String where) {
        super("\"" + source + "\" not found in " + where);
    }
}
