package dev.berth.logging;

import java.time.Instant;
import java.util.Map;
import org.slf4j.event.Level;

/** One log call, formatted message and all, with the thread's MDC at the time of the call. */
record LogEvent(
        Instant time,
        Level level,
        String logger,
        String thread,
        String message,
        Throwable thrown,
        Map<String, String> mdc) {

    LogEvent {
        Map<String, String> set = new java.util.HashMap<>(mdc);
        set.values().removeIf(java.util.Objects::isNull);
        mdc = Map.copyOf(set);
    }

    String shortLogger() {
        return logger.substring(logger.lastIndexOf('.') + 1);
    }
}
