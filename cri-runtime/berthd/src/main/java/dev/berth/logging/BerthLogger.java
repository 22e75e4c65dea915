package dev.berth.logging;

import java.time.Instant;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** A named logger whose level is looked up in the factory's current settings, so a reload applies at once. */
final class BerthLogger extends LegacyAbstractLogger {

    private final transient BerthLoggerFactory factory;

    BerthLogger(String name, BerthLoggerFactory factory) {
        this.name = name;
        this.factory = factory;
    }

    private boolean enabled(Level level) {
        return level.toInt() >= factory.levelOf(name).toInt();
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    /** Virtual threads (every gRPC call, every pull) have no name: their ID tells one from another. */
    private static String threadName() {
        Thread thread = Thread.currentThread();
        return thread.getName().isEmpty() ? "virtual-" + thread.threadId() : thread.getName();
    }

    @Override
    protected void handleNormalizedLoggingCall(
            Level level, Marker marker, String messagePattern, Object[] arguments, Throwable throwable) {
        String message = MessageFormatter.basicArrayFormat(messagePattern, arguments);
        factory.write(new LogEvent(
                Instant.now(),
                level,
                name,
                threadName(),
                message == null ? "" : message,
                throwable,
                factory.mdc().view()));
    }
}
