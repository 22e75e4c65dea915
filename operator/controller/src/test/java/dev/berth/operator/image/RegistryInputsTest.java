package dev.berth.operator.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.image.registry.RegistryConfig;
import dev.berth.image.registry.RegistryCredentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small inputs of a look-up: docker config secrets, update intervals, the registry settings file. */
class RegistryInputsTest {
    @TempDir
    Path dir;

    @Test
    void dockerHubCredentialsMatchEveryNameOfDockerHub() {
        String auth = Base64.getEncoder().encodeToString("me:pw".getBytes(StandardCharsets.UTF_8));
        DockerConfigJson config = DockerConfigJson.parse(("{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\""
                        + auth + "\"},\"registry.example.com:5000\":{\"username\":\"u\",\"password\":\"p\"}}}")
                .getBytes(StandardCharsets.UTF_8));

        assertThat(config.forRegistry("docker.io")).hasValueSatisfying(c -> {
            assertThat(c.username()).isEqualTo("me");
            assertThat(c.password()).isEqualTo("pw");
        });
        assertThat(config.forRegistry("registry.example.com:5000"))
                .map(RegistryCredentials::username)
                .hasValue("u");
        assertThat(config.forRegistry("ghcr.io")).isEmpty();
    }

    @Test
    void malformedDockerConfigIsRefusedWithoutQuotingIt() {
        assertThatThrownBy(() -> DockerConfigJson.parse("{\"secret-token\":1}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("has no \"auths\" object");
        assertThatThrownBy(() -> DockerConfigJson.parse("not json s3cret".getBytes(StandardCharsets.UTF_8)))
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void updateIntervalsAddUpTheirParts() {
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("1h30m15s")).isEqualTo(Duration.ofSeconds(5415));
        assertThatThrownBy(() -> Durations.parse("0s")).hasMessageContaining("longer than zero");
        assertThatThrownBy(() -> Durations.parse("5 minutes")).hasMessageContaining("like 30s, 5m or 1h30m");
    }

    @Test
    void backoffDoublesFromThirtySecondsToTenMinutes() {
        assertThat(List.of(1, 2, 3, 5, 6, 20).stream()
                        .map(ResolveSchedule::backoff)
                        .toList())
                .containsExactly(
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(120),
                        Duration.ofSeconds(480),
                        Duration.ofMinutes(10),
                        Duration.ofMinutes(10));
    }

    @Test
    void registrySettingsFileTakesBerthdsRegistriesShape() throws Exception {
        Path file = dir.resolve("registries.yaml");
        Files.writeString(file, """
        root: /var/lib/berth   # berthd's other keys are ignored
        registries:
          docker.io:
            mirrors: ["mirror.internal:5000"]
            mirrorsOnly: true
          registry.lan:5000:
            plainHttp: true
        """);

        RegistryConfig config = RegistrySettings.load(file);

        assertThat(config.hosts().get("docker.io").mirrors())
                .extracting(Object::toString)
                .containsExactly("https://mirror.internal:5000");
        assertThat(config.hosts().get("docker.io").mirrorsOnly()).isTrue();
        assertThat(config.hosts().get("registry.lan:5000").plainHttp()).isTrue();
        assertThat(RegistrySettings.fromEnvironment(java.util.Map.of()).hosts()).isEmpty();
    }

    @Test
    void badRegistrySettingsNameTheFileAndKey() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "registries:\n  docker.io:\n    mirrors: [\"ftp://x\"]\n");

        assertThatThrownBy(() -> RegistrySettings.load(file))
                .hasMessageContaining("ftp://x")
                .hasMessageContaining("docker.io");
        assertThatThrownBy(() -> RegistrySettings.load(dir.resolve("missing.yaml")))
                .hasMessageContaining("missing.yaml");
    }
}
