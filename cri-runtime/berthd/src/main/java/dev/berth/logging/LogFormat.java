package dev.berth.logging;

import java.util.Locale;

/** berth.yaml's {@code log.format}: lines for people, or one JSON object a line for log collectors. */
public enum LogFormat {
    TEXT,
    JSON;

    public static LogFormat parse(String key, String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " must be text or json, not " + value);
        }
    }
}
