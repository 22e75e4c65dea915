package dev.berth.cli.logs;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * One line of a CRI log file, as kubelet defines the format: {@code TIMESTAMP STREAM TAGS CONTENT}, where TAGS
 * holds {@code P} for a partial line (the content goes on in the next entry) or {@code F} for a full one.
 */
public record LogEntry(String timestamp, boolean stderr, boolean partial, byte[] content) {

    /** Parses one line without its newline; empty for a line that is not in the format. */
    public static Optional<LogEntry> parse(byte[] line, int from, int to) {
        int first = indexOf(line, from, to, (byte) ' ');
        int second = first < 0 ? -1 : indexOf(line, first + 1, to, (byte) ' ');
        if (second < 0) {
            return Optional.empty();
        }
        int third = indexOf(line, second + 1, to, (byte) ' ');
        String timestamp = new String(line, from, first - from, StandardCharsets.US_ASCII);
        String stream = new String(line, first + 1, second - first - 1, StandardCharsets.US_ASCII);
        String tags = new String(line, second + 1, (third < 0 ? to : third) - second - 1, StandardCharsets.US_ASCII);
        boolean partial = tags.equals("P") || tags.startsWith("P:");
        boolean full = tags.equals("F") || tags.startsWith("F:");
        if (!(stream.equals("stdout") || stream.equals("stderr")) || !(partial || full)) {
            return Optional.empty();
        }
        byte[] content = third < 0 ? new byte[0] : java.util.Arrays.copyOfRange(line, third + 1, to);
        return Optional.of(new LogEntry(timestamp, stream.equals("stderr"), partial, content));
    }

    public Optional<Instant> instant() {
        try {
            return Optional.of(Instant.parse(timestamp));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static int indexOf(byte[] bytes, int from, int to, byte wanted) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
