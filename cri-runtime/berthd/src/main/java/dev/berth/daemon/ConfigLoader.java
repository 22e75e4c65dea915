package dev.berth.daemon;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads berth.yaml; a missing file at the default path means "all defaults", a broken one is an error. Every
 * problem is collected (unknown keys, wrong types, bad values), not only the first, so one edit fixes them all.
 */
public final class ConfigLoader {

    public static final Path DEFAULT_PATH = Path.of("/etc/berth/berth.yaml");

    public BerthConfig load(Path path, boolean mustExist) throws InvalidConfigException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            if (mustExist) {
                throw new InvalidConfigException(path, List.of(new ConfigProblem(path.toString(), "does not exist")));
            }
            return BerthConfig.defaults();
        } catch (IOException e) {
            throw new InvalidConfigException(path, List.of(new ConfigProblem(path.toString(), e.getMessage())));
        }
        // an empty or comment-only file is "all defaults", not an error
        if (new String(bytes, StandardCharsets.UTF_8)
                .lines()
                .allMatch(line -> line.isBlank() || line.strip().startsWith("#"))) {
            return BerthConfig.defaults();
        }
        List<ConfigProblem> problems = new ArrayList<>();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory()).addHandler(new Collecting(problems));
        BerthConfig config;
        try {
            config = yaml.readValue(bytes, BerthConfig.class);
        } catch (JsonProcessingException e) {
            problems.add(new ConfigProblem(path.getFileName().toString(), e.getOriginalMessage()));
            throw new InvalidConfigException(path, problems);
        } catch (IOException e) {
            problems.add(new ConfigProblem(path.getFileName().toString(), e.getMessage()));
            throw new InvalidConfigException(path, problems);
        }
        BerthConfig loaded = config == null ? BerthConfig.defaults() : config;
        problems.addAll(ConfigChecks.check(loaded));
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(path, problems);
        }
        return loaded;
    }

    /** The key of the value the parser is at: {@code registries.docker.io.mirrors[0]}. */
    static String keyAt(JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
            if (at.inArray()) {
                parts.push("[" + Math.max(at.getCurrentIndex(), 0) + "]");
            } else if (at.getCurrentName() != null) {
                parts.push("." + at.getCurrentName());
            }
        }
        String key = String.join("", parts);
        return key.startsWith(".") ? key.substring(1) : key;
    }

    /** Records what Jackson would stop at and goes on with the key left unset. */
    private static final class Collecting extends DeserializationProblemHandler {

        private final List<ConfigProblem> problems;

        Collecting(List<ConfigProblem> problems) {
            this.problems = problems;
        }

        @Override
        public boolean handleUnknownProperty(
                DeserializationContext ctxt,
                JsonParser p,
                JsonDeserializer<?> deserializer,
                Object beanOrClass,
                String propertyName)
                throws IOException {
            problems.add(new ConfigProblem(keyAt(p.getParsingContext()), "unknown key"));
            p.skipChildren();
            return true;
        }

        @Override
        public Object handleWeirdStringValue(
                DeserializationContext ctxt, Class<?> targetType, String valueToConvert, String failureMsg) {
            problems.add(new ConfigProblem(
                    keyAt(ctxt.getParser().getParsingContext()),
                    "not " + describe(targetType) + ": " + valueToConvert));
            return null;
        }

        @Override
        public Object handleWeirdNumberValue(
                DeserializationContext ctxt, Class<?> targetType, Number valueToConvert, String failureMsg) {
            problems.add(new ConfigProblem(
                    keyAt(ctxt.getParser().getParsingContext()),
                    "not " + describe(targetType) + ": " + valueToConvert));
            return null;
        }

        @Override
        public Object handleUnexpectedToken(
                DeserializationContext ctxt, JavaType targetType, JsonToken t, JsonParser p, String failureMsg)
                throws IOException {
            String key = keyAt(p.getParsingContext());
            problems.add(new ConfigProblem(
                    key.isEmpty() ? "berth.yaml" : key,
                    "expected " + describe(targetType.getRawClass()) + ", found " + found(t)));
            p.skipChildren();
            return null;
        }

        private static String found(JsonToken token) {
            return switch (token) {
                case START_OBJECT -> "a mapping";
                case START_ARRAY -> "a list";
                case VALUE_STRING -> "a string";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
                case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                default -> token.asString() == null ? token.name() : token.asString();
            };
        }

        private static String describe(Class<?> type) {
            if (type == Integer.class || type == int.class || type == Long.class) {
                return "an integer";
            }
            if (type == Boolean.class || type == boolean.class) {
                return "true or false";
            }
            if (type == String.class) {
                return "a string";
            }
            if (type.isEnum()) {
                return "one of "
                        + java.util.Arrays.stream(type.getEnumConstants())
                                .map(Object::toString)
                                .collect(Collectors.joining(", "));
            }
            if (List.class.isAssignableFrom(type)) {
                return "a list";
            }
            return "a mapping";
        }
    }

    public static final class InvalidConfigException extends Exception {

        private final transient List<ConfigProblem> problems;

        public InvalidConfigException(Path path, List<ConfigProblem> problems) {
            super("config file " + path + " is invalid: "
                    + problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("; ")));
            this.problems = List.copyOf(problems);
        }

        public List<ConfigProblem> problems() {
            return problems;
        }
    }
}
