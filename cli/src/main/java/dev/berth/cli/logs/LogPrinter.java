package dev.berth.cli.logs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Writes log entries as docker logs does: stdout to stdout, stderr to stderr, with {@code -t} timestamps first. */
public final class LogPrinter {

    private final OutputStream out;
    private final OutputStream err;
    private final boolean timestamps;
    private final Instant since;
    /** Whether the last entry of each stream ended its line, so a timestamp starts only a new line. */
    private boolean outAtLineStart = true;

    private boolean errAtLineStart = true;

    public LogPrinter(OutputStream out, OutputStream err, boolean timestamps, Instant since) {
        this.out = out;
        this.err = err;
        this.timestamps = timestamps;
        this.since = since;
    }

    public void print(LogEntry entry) throws IOException {
        if (since != null && entry.instant().map(t -> t.isBefore(since)).orElse(false)) {
            return;
        }
        OutputStream target = entry.stderr() ? err : out;
        boolean atLineStart = entry.stderr() ? errAtLineStart : outAtLineStart;
        if (timestamps && atLineStart) {
            target.write((entry.timestamp() + " ").getBytes(StandardCharsets.US_ASCII));
        }
        target.write(entry.content());
        if (!entry.partial()) {
            target.write('\n');
        }
        if (entry.stderr()) {
            errAtLineStart = !entry.partial();
        } else {
            outAtLineStart = !entry.partial();
        }
    }

    public void flush() throws IOException {
        out.flush();
        err.flush();
    }
}
