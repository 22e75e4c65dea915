package dev.berth.operator.process;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The chart's {@code operator.logLevel} / {@code nodeAgent.logLevel}, passed as {@value #ENV}: the level of the
 * dev.berth loggers. slf4j-simple reads a logger's level when the logger is created, so this must run before
 * the first dev.berth logger exists (first thing in main).
 */
final class LogLevel {
    static final String ENV = "BERTH_LOG_LEVEL";
    static final String PROPERTY = "org.slf4j.simpleLogger.log.dev.berth";
    private static final List<String> LEVELS = List.of("error", "warn", "info", "debug", "trace");

    private LogLevel() {}

    /** @throws IllegalArgumentException for a level slf4j-simple does not know (it would silently use info) */
    static void apply(Map<String, String> env) {
        String value = env.get(ENV);
        if (value == null || value.isBlank()) {
            return;
        }
        String level = value.strip().toLowerCase(Locale.ROOT);
        if (!LEVELS.contains(level)) {
            throw new IllegalArgumentException(
                    ENV + " must be one of " + String.join(", ", LEVELS) + ", got '" + value + "'");
        }
        System.setProperty(PROPERTY, level);
    }
}
