package dev.berth.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.image.registry.RegistryHost;
import dev.berth.logging.LogFormat;
import dev.berth.logging.LogSettings;
import dev.berth.testing.LogCapture;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/** What SIGHUP runs: a file that loads is applied whole, one that does not is logged and changes nothing. */
class ConfigReloadTest {

    @TempDir
    Path dir;

    @Test
    void aFileThatLoadsIsAppliedAndOneThatDoesNotIsLoggedAndChangesNothing() throws Exception {
        Path file = Files.writeString(dir.resolve("berth.yaml"), """
                registries:
                  "registry.example:5000":
                    mirrors: ["http://127.0.0.1:5999"]
                log:
                  level: debug
                """);
        List<BerthConfig> applied = new ArrayList<>();
        ConfigReload reload = new ConfigReload(new ConfigLoader(), file, true, applied::add);

        assertThat(reload.reload()).isTrue();
        assertThat(applied).singleElement().satisfies(config -> {
            assertThat(config.registryConfig().hosts())
                    .containsEntry(
                            "registry.example:5000",
                            new RegistryHost(List.of(URI.create("http://127.0.0.1:5999")), false, false));
            assertThat(config.logSettings().level()).isEqualTo(Level.DEBUG);
        });

        Files.writeString(file, "registries:\n  \"registry.example:5000\":\n    mirrors: [\"ftp://nowhere\"]\n");
        List<JsonNode> lines;
        try (LogCapture logs = LogCapture.start(LogSettings.of(LogFormat.JSON, Level.INFO, Map.of()))) {
            assertThat(reload.reload()).isFalse();
            lines = logs.json();
        }
        assertThat(applied).as("nothing applied from a broken file").hasSize(1);
        assertThat(lines).singleElement().satisfies(line -> {
            assertThat(line.path("level").asText()).isEqualTo("ERROR");
            assertThat(line.path("logger").asText()).isEqualTo(ConfigReload.class.getName());
            assertThat(line.path("message").asText())
                    .contains("registries.registry.example:5000.mirrors[0]: must be an http or https URL")
                    .endsWith("the settings in use stay");
        });
    }
}
