package dev.berth.daemon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads berth.yaml; a missing file at the default path means "all defaults", a broken one is an error. Every
 * problem is collected (unknown keys, wrong types: {@link ConfigSchema}; bad values: {@link ConfigChecks}), not only
 * the first, so one edit fixes them all.
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
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<ConfigProblem> problems = new ArrayList<>();
        BerthConfig config;
        try {
            JsonNode tree = yaml.readTree(bytes);
            if (!(tree instanceof ObjectNode object)) {
                throw new InvalidConfigException(
                        path, List.of(new ConfigProblem(path.getFileName().toString(), "not a YAML mapping")));
            }
            problems.addAll(ConfigSchema.prune(object));
            config = yaml.treeToValue(object, BerthConfig.class);
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
