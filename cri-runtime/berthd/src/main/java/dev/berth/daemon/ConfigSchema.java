package dev.berth.daemon;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * berth.yaml's tree checked against {@link BerthConfig}'s records, key by key: unknown keys and values of the wrong
 * type, each named by its path. What is wrong is taken out of the tree, so that the rest still binds and its values
 * can be checked too. (Jackson stops at the first such problem, and names a record's keys unreliably.)
 */
final class ConfigSchema {

    private final List<ConfigProblem> problems = new ArrayList<>();

    private ConfigSchema() {}

    /** The problems of {@code tree}, which is left holding only what binds. */
    static List<ConfigProblem> prune(ObjectNode tree) {
        ConfigSchema schema = new ConfigSchema();
        schema.check(tree, BerthConfig.class, "");
        return List.copyOf(schema.problems);
    }

    /** Whether {@code node} fits {@code type}; records what does not. */
    private boolean check(JsonNode node, Type type, String key) {
        if (node == null || node.isNull()) {
            return true;
        }
        Class<?> raw = raw(type);
        if (raw.isRecord()) {
            return object(node, key) && record((ObjectNode) node, raw, key);
        }
        if (Map.class.isAssignableFrom(raw)) {
            if (!object(node, key)) {
                return false;
            }
            Type values = ((ParameterizedType) type).getActualTypeArguments()[1];
            node.properties().removeIf(entry -> !check(entry.getValue(), values, join(key, entry.getKey())));
            return true;
        }
        if (List.class.isAssignableFrom(raw)) {
            if (!node.isArray()) {
                return wrong(key, "expected a list, found " + found(node));
            }
            Type elements = ((ParameterizedType) type).getActualTypeArguments()[0];
            ArrayNode array = (ArrayNode) node;
            for (int i = array.size() - 1; i >= 0; i--) {
                if (!check(array.get(i), elements, key + "[" + i + "]")) {
                    array.remove(i);
                }
            }
            return true;
        }
        return scalar(node, raw, key);
    }

    private boolean record(ObjectNode node, Class<?> type, String key) {
        Map<String, RecordComponent> components =
                Arrays.stream(type.getRecordComponents()).collect(Collectors.toMap(ConfigSchema::yamlKey, c -> c));
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            RecordComponent component = components.get(field.getKey());
            String at = join(key, field.getKey());
            if (component == null) {
                problems.add(new ConfigProblem(at, "unknown key"));
                fields.remove();
            } else if (!check(field.getValue(), component.getGenericType(), at)) {
                fields.remove();
            }
        }
        return true;
    }

    private boolean scalar(JsonNode node, Class<?> type, String key) {
        if (!node.isValueNode()) {
            return wrong(key, "expected " + describe(type) + ", found " + found(node));
        }
        String text = node.asText();
        if (type == Integer.class) {
            boolean integer = node.canConvertToInt() && node.isIntegralNumber() || text.matches("-?\\d{1,9}");
            return integer || wrong(key, "not an integer: " + text);
        }
        if (type == Boolean.class) {
            return node.isBoolean()
                    || text.equals("true")
                    || text.equals("false")
                    || wrong(key, "not true or false: " + text);
        }
        if (type.isEnum()) {
            boolean known = Arrays.stream(type.getEnumConstants())
                    .anyMatch(c -> ((Enum<?>) c).name().equals(text));
            return known || wrong(key, "not " + describe(type) + ": " + text);
        }
        return true;
    }

    private boolean object(JsonNode node, String key) {
        return node.isObject() || wrong(key.isEmpty() ? "berth.yaml" : key, "expected a mapping, found " + found(node));
    }

    private boolean wrong(String key, String problem) {
        problems.add(new ConfigProblem(key, problem));
        return false;
    }

    private static String join(String key, String name) {
        return key.isEmpty() ? name : key + "." + name;
    }

    private static Class<?> raw(Type type) {
        return type instanceof ParameterizedType parameterized
                ? (Class<?>) parameterized.getRawType()
                : (Class<?>) type;
    }

    private static String found(JsonNode node) {
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        return node.isNumber()
                ? "a number: " + node.asText()
                : node.isBoolean() ? "true or false" : "a string: " + node.asText();
    }

    private static String describe(Class<?> type) {
        if (type == Integer.class) {
            return "an integer";
        }
        if (type == Boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            return "one of "
                    + Arrays.stream(type.getEnumConstants())
                            .map(Object::toString)
                            .collect(Collectors.joining(", "));
        }
        return "a string";
    }

    /** The key berth.yaml spells a component with: its name, or the {@code @JsonProperty} Jackson reads instead. */
    private static String yamlKey(RecordComponent component) {
        JsonProperty renamed = component.getAccessor().getAnnotation(JsonProperty.class);
        return renamed == null || renamed.value().isEmpty() ? component.getName() : renamed.value();
    }
}
