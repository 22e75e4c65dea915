package dev.berth.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.imagestore.LayerRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The image a stage is building, step by step: its config JSON (the base's, so fields berthd does not know are
 * kept), its layers bottom first and the cache key of everything so far. Not thread-safe: one per stage.
 */
public final class StageImage {

    static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");

    private final ObjectNode config;
    private final List<LayerRecord> layers;
    private String cacheKey;
    private Instant lastCreated;

    StageImage(ObjectNode config, List<LayerRecord> layers, String cacheKey) {
        this.config = config;
        this.layers = new ArrayList<>(layers);
        this.cacheKey = cacheKey;
        ObjectNode rootfs = config.with("rootfs");
        rootfs.put("type", "layers");
        if (!rootfs.path("diff_ids").isArray()) {
            rootfs.putArray("diff_ids");
        }
        if (!config.path("history").isArray()) {
            config.putArray("history");
        }
        config.with("config");
        this.lastCreated = parseCreated(config.path("created").asText(""));
    }

    private static Instant parseCreated(String text) {
        try {
            return text.isEmpty()
                    ? Instant.EPOCH
                    : java.time.OffsetDateTime.parse(text).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    /** The time of the newest history entry: the base's creation until a step adds one. */
    Instant lastCreated() {
        return lastCreated;
    }

    /** The runtime defaults object ({@code config.config}). */
    ObjectNode runtime() {
        return config.with("config");
    }

    ObjectNode json() {
        return config;
    }

    List<LayerRecord> layers() {
        return List.copyOf(layers);
    }

    List<String> chainIds() {
        return layers.stream().map(LayerRecord::chainId).toList();
    }

    String cacheKey() {
        return cacheKey;
    }

    void cacheKey(String key) {
        this.cacheKey = key;
    }

    /** The image's environment as name to value, in order. */
    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode entry : runtime().path("Env")) {
            String text = entry.asText();
            int eq = text.indexOf('=');
            env.put(eq < 0 ? text : text.substring(0, eq), eq < 0 ? "" : text.substring(eq + 1));
        }
        return env;
    }

    void env(Map<String, String> env) {
        ArrayNode array = runtime().putArray("Env");
        env.forEach((name, value) -> array.add(name + "=" + value));
    }

    String user() {
        return runtime().path("User").asText("");
    }

    String workingDir() {
        String dir = runtime().path("WorkingDir").asText("");
        return dir.isEmpty() ? "/" : dir;
    }

    List<String> shell() {
        JsonNode shell = runtime().path("Shell");
        if (!shell.isArray() || shell.isEmpty()) {
            return DEFAULT_SHELL;
        }
        List<String> words = new ArrayList<>();
        shell.forEach(word -> words.add(word.asText()));
        return words;
    }

    void addLayer(LayerRecord layer, String createdBy, Instant created) {
        layers.add(layer);
        config.with("rootfs").withArray("diff_ids").add(layer.diffId());
        history(createdBy, created, false);
    }

    void addEmptyLayer(String createdBy, Instant created) {
        history(createdBy, created, true);
    }

    private void history(String createdBy, Instant created, boolean empty) {
        ObjectNode entry = config.withArray("history").addObject();
        entry.put("created", created.toString());
        entry.put("created_by", createdBy);
        entry.put("comment", "buildkit.dockerfile.v0");
        if (empty) {
            entry.put("empty_layer", true);
        }
        config.put("created", created.toString());
        lastCreated = created;
    }
}
