package dev.berth.cli.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cli.CliException;
import dev.berth.cri.v1.AuthConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryAuthTest {

    @TempDir
    Path home;

    private Path configJson(String json) throws Exception {
        Files.createDirectories(home.resolve(".docker"));
        return Files.writeString(home.resolve(".docker/config.json"), json);
    }

    @Test
    void dockerHubNamesFindDockersIndexUrlEntry() throws Exception {
        configJson("{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"dTpw\"},\"ghcr.io\":{\"auth\":\"eDp5\"}}}");

        AuthConfig hub = RegistryAuth.forImage("team/app:1", null, null, Map.of("HOME", home.toString()));
        AuthConfig ghcr = RegistryAuth.forImage("ghcr.io/team/app:1", null, null, Map.of("HOME", home.toString()));

        assertThat(hub.getAuth()).isEqualTo("dTpw");
        assertThat(hub.getServerAddress()).isEqualTo("docker.io");
        assertThat(ghcr.getAuth()).isEqualTo("eDp5");
    }

    @Test
    void aBuildGetsEveryRegistrysCredentialsByHost() throws Exception {
        configJson("{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"dTpw\"},\"ghcr.io\":{\"auth\":\"eDp5\"}}}");

        Map<String, AuthConfig> all = RegistryAuth.all(Map.of("HOME", home.toString()));

        assertThat(all).containsOnlyKeys("index.docker.io", "ghcr.io");
        assertThat(all.get("ghcr.io").getAuth()).isEqualTo("eDp5");
        assertThat(RegistryAuth.all(Map.of("HOME", home.resolve("nobody").toString())))
                .isEmpty();
    }

    @Test
    void credsWinOverTheFileAndAnUnknownRegistryGetsNothing() throws Exception {
        configJson("{\"auths\":{\"registry.example.com:5000\":{\"auth\":\"dTpw\"}}}");
        Map<String, String> env = Map.of("HOME", home.toString());

        AuthConfig creds = RegistryAuth.forImage("registry.example.com:5000/app", "me:secret", null, env);
        AuthConfig none = RegistryAuth.forImage("other.example.com/app", null, null, env);

        assertThat(creds.getUsername()).isEqualTo("me");
        assertThat(creds.getPassword()).isEqualTo("secret");
        assertThat(none).isEqualTo(AuthConfig.getDefaultInstance());
        assertThatThrownBy(() -> RegistryAuth.forImage("app", "no-colon", null, env))
                .isInstanceOf(CliException.class)
                .hasMessage("--creds must be USER:PASSWORD");
    }

    @Test
    void dockerConfigDirAndAnExplicitAuthfileAreRead() throws Exception {
        Path dir = Files.createDirectories(home.resolve("elsewhere"));
        Files.writeString(dir.resolve("config.json"), "{\"auths\":{\"http://localhost:5000\":{\"auth\":\"YTpi\"}}}");

        assertThat(RegistryAuth.forImage("localhost:5000/app", null, null, Map.of("DOCKER_CONFIG", dir.toString()))
                        .getAuth())
                .isEqualTo("YTpi");
        assertThat(RegistryAuth.forImage("localhost:5000/app", null, dir.resolve("config.json"), Map.of())
                        .getAuth())
                .isEqualTo("YTpi");
        assertThatThrownBy(() -> RegistryAuth.forImage("app", null, dir.resolve("missing.json"), Map.of()))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("does not exist");
    }
}
