package dev.berth.build.dockerfile;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as Go's {@code time.ParseDuration} reads them ({@code 30s}, {@code 1m30s}, {@code 1.5h}, {@code 300ms}). */
final class GoDurations {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
    private static final Map<String, Long> NANOS = Map.of(
            "ns", 1L,
            "us", 1_000L,
            "µs", 1_000L,
            "μs", 1_000L,
            "ms", 1_000_000L,
            "s", 1_000_000_000L,
            "m", 60_000_000_000L,
            "h", 3_600_000_000_000L);

    private GoDurations() {}

    static Duration parse(String text) throws InvalidInstructionException {
        String body = text.startsWith("+") ? text.substring(1) : text;
        if (body.equals("0")) {
            return Duration.ZERO;
        }
        if (body.isEmpty() || body.startsWith("-")) {
            throw new InvalidInstructionException("invalid duration " + text);
        }
        Matcher part = PART.matcher(body);
        BigDecimal nanos = BigDecimal.ZERO;
        int end = 0;
        while (part.lookingAt()) {
            nanos = nanos.add(new BigDecimal(part.group(1)).multiply(BigDecimal.valueOf(NANOS.get(part.group(2)))));
            end = part.end();
            part.region(end, body.length());
        }
        if (end != body.length()) {
            throw new InvalidInstructionException("invalid duration " + text);
        }
        return Duration.ofNanos(nanos.longValue());
    }
}
