package dev.berth.operator.image;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code spec.updateInterval}: Go-style "90s", "5m", "1h30m". */
public final class Durations {
    private static final Pattern WHOLE = Pattern.compile("([0-9]+(s|m|h))+");
    private static final Pattern PART = Pattern.compile("([0-9]+)(s|m|h)");

    private Durations() {}

    /** @throws IllegalArgumentException for anything but a sum of hours, minutes and seconds above zero */
    public static Duration parse(String text) {
        if (text == null || !WHOLE.matcher(text).matches()) {
            throw new IllegalArgumentException(
                    "updateInterval \"" + text + "\" is not a duration like 30s, 5m or 1h30m");
        }
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(text);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(
                    switch (m.group(2)) {
                        case "h" -> Duration.ofHours(n);
                        case "m" -> Duration.ofMinutes(n);
                        default -> Duration.ofSeconds(n);
                    });
        }
        if (total.isZero()) {
            throw new IllegalArgumentException("updateInterval \"" + text + "\" must be longer than zero");
        }
        return total;
    }
}
