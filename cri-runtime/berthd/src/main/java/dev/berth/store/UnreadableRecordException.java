package dev.berth.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A record file berthd cannot read: unparsable JSON, or a format version this berthd does not know (written by a
 * newer release). Start-up stops on it rather than skip the record, since a skipped record orphans what it
 * describes (a running container nobody stops, a pod whose network is never torn down).
 */
public final class UnreadableRecordException extends IOException {

    public UnreadableRecordException(Path file, String why) {
        super("cannot read record " + file + ": " + why
                + "; berthd will not start without it (move the file away only if what it describes is gone)");
    }

    public UnreadableRecordException(Path file, String why, Throwable cause) {
        this(file, why);
        initCause(cause);
    }
}
