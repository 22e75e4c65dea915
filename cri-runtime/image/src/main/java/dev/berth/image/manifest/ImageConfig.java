package dev.berth.image.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.image.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The parts of an OCI/Docker image config that a runtime uses. */
public record ImageConfig(
        String architecture, String os, String variant, ContainerConfig config, List<Digest> diffIds, String created) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public ImageConfig {
        diffIds = List.copyOf(diffIds);
    }

    /** @throws IllegalArgumentException when the JSON is not an image config */
    public static ImageConfig parse(byte[] json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("image config is not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("image config is not a JSON object");
        }
        JsonNode diffIdsNode = root.path("rootfs").path("diff_ids");
        if (!diffIdsNode.isArray()) {
            throw new IllegalArgumentException("image config has no rootfs.diff_ids");
        }
        List<Digest> diffIds = new ArrayList<>();
        diffIdsNode.forEach(d -> diffIds.add(Digest.parse(d.asText())));
        JsonNode c = root.path("config");
        ContainerConfig config = new ContainerConfig(
                text(c, "User"),
                strings(c.path("Env")),
                strings(c.path("Entrypoint")),
                strings(c.path("Cmd")),
                text(c, "WorkingDir"),
                keys(c.path("ExposedPorts")),
                map(c.path("Labels")),
                text(c, "StopSignal"),
                keys(c.path("Volumes")));
        return new ImageConfig(
                text(root, "architecture"),
                text(root, "os"),
                text(root, "variant"),
                config,
                diffIds,
                text(root, "created"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> result = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(v -> result.add(v.asText()));
        }
        return result;
    }

    private static Set<String> keys(JsonNode object) {
        Set<String> result = new LinkedHashSet<>();
        if (object.isObject()) {
            object.fieldNames().forEachRemaining(result::add);
        }
        return result;
    }

    private static Map<String, String> map(JsonNode object) {
        Map<String, String> result = new LinkedHashMap<>();
        if (object.isObject()) {
            object.fields()
                    .forEachRemaining(e -> result.put(e.getKey(), e.getValue().asText()));
        }
        return result;
    }
}
