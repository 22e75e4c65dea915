package dev.berth.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.logging.BerthLoggerFactory;
import dev.berth.logging.LogSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * berthd's log lines, caught from this JVM's logging backend with the given settings; closing it puts back the
 * settings and the stream it found.
 */
public final class LogCapture implements AutoCloseable {

    private final BerthLoggerFactory factory;
    private final LogSettings before;
    private final PrintStream previous;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private LogCapture(BerthLoggerFactory factory, LogSettings settings) {
        this.factory = factory;
        this.before = factory.settings();
        factory.apply(settings);
        this.previous = factory.redirect(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }

    public static LogCapture start(LogSettings settings) {
        return new LogCapture(
                BerthLoggerFactory.bound()
                        .orElseThrow(() -> new IllegalStateException("berthd's backend is not bound")),
                settings);
    }

    public String text() {
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** Every line as the JSON object it must be; fails on a line that is not one. */
    public List<JsonNode> json() {
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text().lines().toList()) {
            try {
                lines.add(mapper.readTree(line));
            } catch (IOException e) {
                throw new UncheckedIOException("not a JSON line: " + line, e);
            }
        }
        return lines;
    }

    @Override
    public void close() {
        factory.redirect(previous);
        factory.apply(before);
    }
}
