package dev.berth.logging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One JSON object a line, as log collectors (Fluent Bit, Vector, Loki) take it: {@code time} (RFC 3339, UTC, ms),
 * {@code level}, {@code logger}, {@code thread}, {@code message}, {@code exception} (the stack trace) when there
 * is one, and each MDC entry ({@code pod_id}, {@code container_id}) as a field of its own.
 */
final class JsonLine {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static final Set<String> FIELDS = Set.of("time", "level", "logger", "thread", "message", "exception");

    private final JsonFactory json = new JsonFactory();

    String format(LogEvent event) {
        StringWriter out = new StringWriter();
        try (JsonGenerator line = json.createGenerator(out)) {
            line.writeStartObject();
            line.writeStringField("time", TIME.format(event.time()));
            line.writeStringField("level", event.level().name());
            line.writeStringField("logger", event.logger());
            line.writeStringField("thread", event.thread());
            line.writeStringField("message", event.message());
            if (event.thrown() != null) {
                StringWriter trace = new StringWriter();
                event.thrown().printStackTrace(new PrintWriter(trace));
                line.writeStringField("exception", trace.toString());
            }
            for (Map.Entry<String, String> entry : new TreeMap<>(event.mdc()).entrySet()) {
                if (!FIELDS.contains(entry.getKey())) {
                    line.writeStringField(entry.getKey(), entry.getValue());
                }
            }
            line.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.append('\n').toString();
    }
}
