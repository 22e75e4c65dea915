package dev.berth.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads berth.yaml; a missing file at the default path means "all defaults", a broken one is an error. */
public final class ConfigLoader {

    public static final Path DEFAULT_PATH = Path.of("/etc/berth/berth.yaml");

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    public BerthConfig load(Path path, boolean mustExist) throws InvalidConfigException {
        try {
            byte[] bytes = Files.readAllBytes(path);
            // an empty or comment-only file is "all defaults", not an error
            BerthConfig config = new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                            .lines()
                            .allMatch(line -> line.isBlank() || line.strip().startsWith("#"))
                    ? null
                    : yaml.readValue(bytes, BerthConfig.class);
            BerthConfig loaded = config == null ? BerthConfig.defaults() : config;
            loaded.registryConfig();
            loaded.imagesOrDefault().platformOrHost();
            loaded.imagesOrDefault().pullProgressTimeoutOrDefault();
            loaded.imagesOrDefault().pushSettings();
            loaded.streamingSettings();
            return loaded;
        } catch (NoSuchFileException e) {
            if (mustExist) {
                throw new InvalidConfigException("config file " + path + " does not exist");
            }
            return BerthConfig.defaults();
        } catch (IOException | IllegalArgumentException | ArithmeticException e) {
            throw new InvalidConfigException("config file " + path + " is invalid: " + e.getMessage());
        }
    }

    public static final class InvalidConfigException extends Exception {
        public InvalidConfigException(String message) {
            super(message);
        }
    }
}
