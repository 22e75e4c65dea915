package dev.berth.operator.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code fieldsV1} a Kubernetes API server records for a field manager's server-side apply: the set of
 * fields in the applied object, as structured-merge-diff v4.4 (Kubernetes 1.32) computes it in
 * typed/tofieldset.go and serializes it in fieldpath/serialize.go:
 *
 * <ul>
 *   <li>every scalar is a member ({@code doScalar}); so is every empty or null map and every atomic list or map
 *       ({@code doMap}/{@code doList} with {@code ElementRelationship == Atomic}, {@code visitMapItems});
 *   <li>an item of an associative list is a member named {@code k:{"key":value,...}} with its key fields
 *       sorted ({@code keyedAssociativeListItemToPathElement}); a member with children is written with a
 *       {@code ".": {}} entry;
 *   <li>the fields the field manager strips before tracking (fieldmanager's stripMeta: apiVersion, kind,
 *       metadata.name/namespace/uid/resourceVersion/generation/creationTimestamp/managedFields) and status
 *       (reset for kinds with a status subresource) are not recorded.
 * </ul>
 */
public final class ManagedFields {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> STRIPPED_TOP = Set.of("apiVersion", "kind", "status");
    private static final Set<String> STRIPPED_META = Set.of(
            "name",
            "namespace",
            "uid",
            "resourceVersion",
            "generation",
            "creationTimestamp",
            "managedFields",
            "selfLink");

    private final FieldSchema schema;

    public ManagedFields(FieldSchema schema) {
        this.schema = schema;
    }

    /** The fieldsV1 of the applied object (a JSON map, as the client sent it). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> of(Map<String, Object> applied) {
        Map<String, Object> tracked = new LinkedHashMap<>(applied);
        STRIPPED_TOP.forEach(tracked::remove);
        if (tracked.get("metadata") instanceof Map<?, ?> meta) {
            Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) meta);
            STRIPPED_META.forEach(m::remove);
            if (m.isEmpty()) {
                tracked.remove("metadata");
            } else {
                tracked.put("metadata", m);
            }
        }
        return struct(tracked, "");
    }

    private Map<String, Object> struct(Map<String, Object> map, String path) {
        Map<String, Object> out = new TreeMap<>();
        map.forEach((key, value) -> out.put("f:" + key, field(value, path.isEmpty() ? key : path + "." + key)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> field(Object value, String path) {
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty() || schema.isAtomic(path)) {
                return Map.of();
            }
            return struct((Map<String, Object>) map, path);
        }
        if (value instanceof List<?> list) {
            List<String> keys = schema.keysOf(path);
            return keys == null ? Map.of() : associative((List<Map<String, Object>>) list, keys, path + "[]");
        }
        return Map.of();
    }

    private Map<String, Object> associative(List<Map<String, Object>> items, List<String> keys, String itemPath) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map<String, Object> item : items) {
            Map<String, Object> key = new TreeMap<>();
            for (String k : keys) {
                if (!item.containsKey(k)) {
                    throw new IllegalArgumentException("an item of " + itemPath + " lacks its key field " + k);
                }
                key.put(k, item.get(k));
            }
            Map<String, Object> children = schema.isAtomic(itemPath) ? Map.of() : struct(item, itemPath);
            Map<String, Object> member = new LinkedHashMap<>();
            if (!children.isEmpty()) {
                member.put(".", Map.of());
                member.putAll(children);
            }
            out.put("k:" + json(key), member);
        }
        return out;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
