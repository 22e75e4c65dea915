package dev.berth.streaming.spdy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.runtime.TerminalSize;
import dev.berth.runtime.TerminalSizeQueue;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads the resize stream: JSON objects {@code {"Width":80,"Height":24}} one after another, as client-go's
 * {@code json.Encoder} writes them (kubelet reads them with a {@code json.Decoder}, so neither newlines nor
 * frame boundaries matter). Go matches field names case-insensitively; the first value that does not decode
 * ends the stream, as it does in kubelet.
 */
final class ResizeReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ResizeReader() {}

    /** Blocks until the stream ends; closes {@code sizes} then. */
    static void copy(InputStream resizes, TerminalSizeQueue sizes) {
        try (MappingIterator<JsonNode> values = JSON.readerFor(JsonNode.class).readValues(resizes)) {
            while (values.hasNextValue()) {
                sizes.offer(size(values.nextValue()));
            }
        } catch (IOException | RuntimeException e) {
            // a malformed size ends the resize stream, as in kubelet; the command goes on
        } finally {
            sizes.close();
        }
    }

    private static TerminalSize size(JsonNode value) {
        int width = 0;
        int height = 0;
        for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equalsIgnoreCase("width")) {
                width = dimension(field.getValue());
            } else if (field.getKey().equalsIgnoreCase("height")) {
                height = dimension(field.getValue());
            }
        }
        return new TerminalSize(width, height);
    }

    private static int dimension(JsonNode value) {
        if (!value.canConvertToExactIntegral() || !value.canConvertToInt()) {
            throw new IllegalArgumentException("terminal dimension " + value + " is not a uint16");
        }
        return value.intValue();
    }
}
