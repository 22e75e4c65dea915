package dev.berth.imagestore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An image config's {@code history}, each non-empty entry paired with the next layer in order, as docker
 * pairs them; newest first. A config without history (some tools write none) gets one unnamed entry a
 * layer, so every layer still shows.
 */
final class ConfigHistory {

    private final ObjectMapper json = new ObjectMapper();

    List<HistoryEntry> entries(byte[] config, List<LayerRecord> layers) throws IOException {
        JsonNode history = json.readTree(config).path("history");
        List<HistoryEntry> entries = new ArrayList<>();
        if (!history.isArray() || history.isEmpty()) {
            for (LayerRecord layer : layers) {
                entries.add(new HistoryEntry(null, "", layer.size(), "", false, layer.digest()));
            }
        } else {
            int next = 0;
            for (JsonNode step : history) {
                boolean empty = step.path("empty_layer").asBoolean(false);
                LayerRecord layer = !empty && next < layers.size() ? layers.get(next++) : null;
                entries.add(new HistoryEntry(
                        created(step.path("created").asText("")),
                        step.path("created_by").asText(""),
                        layer == null ? 0 : layer.size(),
                        step.path("comment").asText(""),
                        layer == null,
                        layer == null ? null : layer.digest()));
            }
        }
        Collections.reverse(entries);
        return entries;
    }

    private static Instant created(String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
