package dev.berth.daemon;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations written as kubelet and containerd configs write them: {@code 4h}, {@code 1m30s}, {@code 500ms}. */
final class GoDurations {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

    private GoDurations() {}

    static Duration parse(String key, String text) {
        String value = text.strip();
        Matcher parts = PART.matcher(value);
        Duration total = Duration.ZERO;
        int end = 0;
        while (parts.find() && parts.start() == end) {
            long amount = Long.parseLong(parts.group(1));
            total = total.plus(
                    switch (parts.group(2)) {
                        case "ms" -> Duration.ofMillis(amount);
                        case "s" -> Duration.ofSeconds(amount);
                        case "m" -> Duration.ofMinutes(amount);
                        default -> Duration.ofHours(amount);
                    });
            end = parts.end();
        }
        if (value.isEmpty() || end != value.length()) {
            throw new IllegalArgumentException(key + " must be a duration such as 30s, 5m or 4h, not " + text);
        }
        return total;
    }
}
