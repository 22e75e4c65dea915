package dev.berth.cri.validation;

import java.util.List;
import java.util.Map;

/**
 * The checks every field reduces to: required, bounded, free of NUL, absolute. Each failure names the field and
 * shows the value only through {@link Shown}.
 */
final class Check {

    private Check() {}

    /** UTF-8 length without encoding (a request may carry megabytes). */
    static long utf8Bytes(String value) {
        long bytes = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < value.length()) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** Optional text: at most {@code maxBytes}, no NUL (which would cut it short in any C string it reaches). */
    static void text(String field, String value, long maxBytes) throws InvalidRequestException {
        long bytes = utf8Bytes(value);
        if (bytes > maxBytes) {
            throw new InvalidRequestException(
                    field, "is " + bytes + " bytes, more than " + maxBytes + ": " + Shown.of(value));
        }
        if (value.indexOf('\0') >= 0) {
            throw new InvalidRequestException(field, "contains a NUL byte: " + Shown.of(value));
        }
    }

    static void required(String field, String value, long maxBytes) throws InvalidRequestException {
        if (value.isBlank()) {
            throw new InvalidRequestException(field, "is required");
        }
        text(field, value, maxBytes);
    }

    /** A pod, container or image ID the call needs. */
    static void id(String field, String value) throws InvalidRequestException {
        required(field, value, RequestLimits.MAX_ID_BYTES);
    }

    /** An ID prefix of a filter: empty matches all. */
    static void idPrefix(String field, String value) throws InvalidRequestException {
        text(field, value, RequestLimits.MAX_ID_BYTES);
    }

    static void count(String field, int count, int max) throws InvalidRequestException {
        if (count > max) {
            throw new InvalidRequestException(field, "has " + count + " entries, more than " + max);
        }
    }

    /** A list of texts: at most {@code maxCount} entries of at most {@code maxBytes} each. */
    static void texts(String field, List<String> values, int maxCount, long maxBytes) throws InvalidRequestException {
        count(field, values.size(), maxCount);
        for (int i = 0; i < values.size(); i++) {
            text(field + "[" + i + "]", values.get(i), maxBytes);
        }
    }

    /** Labels, annotations, selectors: bounded in entries, key, value and total; keys non-empty. */
    static void labels(String field, Map<String, String> map) throws InvalidRequestException {
        count(field, map.size(), RequestLimits.MAX_LABELS);
        long total = 0;
        for (Map.Entry<String, String> entry : map.entrySet()) {
            String key = entry.getKey();
            if (key.isEmpty()) {
                throw new InvalidRequestException(field, "has an empty key");
            }
            text(field + " key", key, RequestLimits.MAX_LABEL_KEY_BYTES);
            text(field + "[" + Shown.of(key) + "]", entry.getValue(), RequestLimits.MAX_LABEL_VALUE_BYTES);
            total += utf8Bytes(key) + utf8Bytes(entry.getValue());
        }
        if (total > RequestLimits.MAX_LABELS_TOTAL_BYTES) {
            throw new InvalidRequestException(
                    field, "is " + total + " bytes together, more than " + RequestLimits.MAX_LABELS_TOTAL_BYTES);
        }
    }

    /** An optional path that must be absolute when set. */
    static void absolutePath(String field, String value) throws InvalidRequestException {
        text(field, value, RequestLimits.MAX_PATH_BYTES);
        if (!value.isEmpty() && !value.startsWith("/")) {
            throw new InvalidRequestException(field, "must be an absolute path, got " + Shown.of(value));
        }
    }

    /**
     * A path inside the container a mount, device or masked path covers: absolute, and not the root, which
     * would cover the whole root filesystem.
     */
    static void containerPath(String field, String value) throws InvalidRequestException {
        if (value.isEmpty()) {
            throw new InvalidRequestException(field, "is required");
        }
        absolutePath(field, value);
        if (java.nio.file.Path.of(value).normalize().getNameCount() == 0) {
            throw new InvalidRequestException(field, "must not be the container's root " + Shown.of(value));
        }
    }

    static void range(String field, long value, long min, long max) throws InvalidRequestException {
        if (value < min || value > max) {
            throw new InvalidRequestException(field, value + " is outside " + min + ".." + max);
        }
    }
}
