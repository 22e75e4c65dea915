package dev.berth.logging;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * berthd's SLF4J backend: every line to one stream (stderr, which journald or the container runtime keeps), in the
 * format and at the levels of the current {@link LogSettings}, which {@link #apply} swaps at any time.
 */
public final class BerthLoggerFactory implements ILoggerFactory {

    private final Map<String, Logger> loggers = new ConcurrentHashMap<>();
    private final AtomicReference<LogSettings> settings = new AtomicReference<>(LogSettings.defaults());
    private final AtomicReference<PrintStream> out = new AtomicReference<>(System.err);
    private final ThreadMdc mdc;
    private final TextLine text = new TextLine();
    private final JsonLine json = new JsonLine();

    BerthLoggerFactory(ThreadMdc mdc) {
        this.mdc = mdc;
    }

    /**
     * The backend SLF4J bound; empty when it bound another one (a test class path with slf4j-simple first), in
     * which case the settings cannot be applied and the other backend's defaults hold.
     */
    public static java.util.Optional<BerthLoggerFactory> bound() {
        return LoggerFactory.getILoggerFactory() instanceof BerthLoggerFactory factory
                ? java.util.Optional.of(factory)
                : java.util.Optional.empty();
    }

    /** Applies {@code settings} if SLF4J bound this backend; whether it did. */
    public static boolean applyIfBound(LogSettings settings) {
        return bound().map(factory -> {
                    factory.apply(settings);
                    return true;
                })
                .orElse(false);
    }

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(name, n -> new BerthLogger(n, this));
    }

    public void apply(LogSettings next) {
        settings.set(next);
    }

    public LogSettings settings() {
        return settings.get();
    }

    /** Where lines go from now on; returns where they went, for a test to put back. */
    public PrintStream redirect(PrintStream stream) {
        return out.getAndSet(stream);
    }

    Level levelOf(String logger) {
        return settings.get().levelOf(logger);
    }

    ThreadMdc mdc() {
        return mdc;
    }

    void write(LogEvent event) {
        String line = settings.get().format() == LogFormat.JSON ? json.format(event) : text.format(event);
        PrintStream stream = out.get();
        // one write a line: concurrent lines never interleave
        synchronized (stream) {
            stream.print(line);
            stream.flush();
        }
    }
}
