package dev.berth.cli.format;

import java.time.Duration;
import java.util.Locale;

/** docker's human units (go-units): decimal sizes with three significant digits, and rounded durations. */
public final class Units {

    private static final String[] SIZE_UNITS = {"B", "kB", "MB", "GB", "TB", "PB"};

    private Units() {}

    /** {@code 4.26MB}, {@code 812B}, {@code 1.2GB}: go-units HumanSize. */
    public static String size(long bytes) {
        double value = bytes;
        int unit = 0;
        while (value >= 1000 && unit < SIZE_UNITS.length - 1) {
            value /= 1000;
            unit++;
        }
        return significant(value) + SIZE_UNITS[unit];
    }

    /** Go's {@code %.4g} of a value below 1000, as go-units prints it with its precision of 3. */
    private static String significant(double value) {
        String text = new java.math.BigDecimal(value)
                .round(new java.math.MathContext(3))
                .stripTrailingZeros()
                .toPlainString();
        return text;
    }

    private static final String[] BINARY_UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    /** {@code 1.52MiB}: go-units BytesSize, as docker stats shows memory. */
    public static String binarySize(long bytes) {
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < BINARY_UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return significant(value) + BINARY_UNITS[unit];
    }

    /** {@code 3 minutes}, {@code About an hour}, {@code Less than a second}: go-units HumanDuration. */
    public static String duration(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 1) {
            return "Less than a second";
        }
        if (seconds == 1) {
            return "1 second";
        }
        if (seconds < 60) {
            return seconds + " seconds";
        }
        long minutes = duration.toMinutes();
        if (minutes == 1) {
            return "About a minute";
        }
        if (minutes < 60) {
            return minutes + " minutes";
        }
        long hours = Math.round(duration.toSeconds() / 3600.0);
        if (hours == 1) {
            return "About an hour";
        }
        if (hours < 48) {
            return hours + " hours";
        }
        if (hours < 24 * 7 * 2) {
            return hours / 24 + " days";
        }
        if (hours < 24 * 30 * 2) {
            return hours / 24 / 7 + " weeks";
        }
        if (hours < 24 * 365 * 2) {
            return hours / 24 / 30 + " months";
        }
        return hours / 24 / 365 + " years";
    }

    /** {@code 3 minutes ago}, from a CRI timestamp (nanoseconds since the epoch). */
    public static String ago(long epochNanos, long nowMillis) {
        return duration(Duration.ofMillis(Math.max(0, nowMillis - epochNanos / 1_000_000))) + " ago";
    }

    /** {@code 256m}, {@code 1g}, {@code 512k}, {@code 1048576}: docker's memory sizes (binary units). */
    public static long parseMemory(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        long multiplier = 1;
        if (value.endsWith("b")) {
            value = value.substring(0, value.length() - 1);
        }
        if (!value.isEmpty()) {
            switch (value.charAt(value.length() - 1)) {
                case 'k' -> multiplier = 1L << 10;
                case 'm' -> multiplier = 1L << 20;
                case 'g' -> multiplier = 1L << 30;
                case 't' -> multiplier = 1L << 40;
                default -> multiplier = 1;
            }
            if (multiplier > 1) {
                value = value.substring(0, value.length() - 1);
            }
        }
        try {
            double amount = Double.parseDouble(value);
            if (amount < 0) {
                throw new NumberFormatException();
            }
            return (long) (amount * multiplier);
        } catch (NumberFormatException e) {
            throw new dev.berth.cli.CliException(
                    "invalid size: '" + text + "': a number with an optional unit b, k, m or g (256m)");
        }
    }
}
