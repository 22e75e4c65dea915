package dev.berth.logging;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.event.Level;

/**
 * How berthd logs: the format, the level, and levels of single loggers or packages ({@code io.grpc}); the longest
 * matching prefix wins. gRPC and Netty are quiet unless a logger level says otherwise: their info lines are about
 * their own plumbing.
 */
public record LogSettings(LogFormat format, Level level, Map<String, Level> loggers) {

    private static final Map<String, Level> LIBRARIES =
            Map.of("io.grpc", Level.WARN, "io.netty", Level.WARN, "io.netty.bootstrap", Level.ERROR);

    public LogSettings {
        loggers = Map.copyOf(loggers);
    }

    public static LogSettings defaults() {
        return new LogSettings(LogFormat.TEXT, Level.INFO, LIBRARIES);
    }

    /** {@code loggers} (logger name → level) go over the library defaults. */
    public static LogSettings of(LogFormat format, Level level, Map<String, Level> loggers) {
        Map<String, Level> all = new LinkedHashMap<>(LIBRARIES);
        all.putAll(loggers);
        return new LogSettings(format, level, all);
    }

    public static Level parseLevel(String key, String value) {
        try {
            return Level.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " must be one of error, warn, info, debug, trace, not " + value);
        }
    }

    Level levelOf(String logger) {
        String best = null;
        for (String prefix : loggers.keySet()) {
            boolean matches = logger.equals(prefix) || logger.startsWith(prefix + ".");
            if (matches && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        return best == null ? level : loggers.get(best);
    }
}
