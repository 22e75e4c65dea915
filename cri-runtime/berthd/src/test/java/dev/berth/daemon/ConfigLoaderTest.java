package dev.berth.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.image.registry.PushSettings;
import dev.berth.image.registry.RegistryHost;
import dev.berth.oci.SeccompWhenUnset;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void missingDefaultFileMeansEmbeddedDefaults() throws Exception {
        BerthConfig config = new ConfigLoader().load(dir.resolve("absent.yaml"), false);

        assertThat(config.rootDir()).isEqualTo(Path.of("/var/lib/berth"));
        assertThat(config.socketPath()).isEqualTo(Path.of("/run/berth/berth.sock"));
        assertThat(config.registryConfig().hosts()).isEmpty();
    }

    @Test
    void blankOrCommentOnlyFileMeansEmbeddedDefaults() throws Exception {
        Path file = java.nio.file.Files.writeString(dir.resolve("berth.yaml"), "\n# nothing set yet\n\n");

        BerthConfig config = new ConfigLoader().load(file, true);

        assertThat(config.rootDir()).isEqualTo(Path.of("/var/lib/berth"));
        assertThat(config.networkOrDefault().bridge()).isNull();
    }

    @Test
    void networkDefaultIsReadUnderTheKeyTheReadmeNames() throws Exception {
        Path file = java.nio.file.Files.writeString(dir.resolve("berth.yaml"), "network:\n  default: cni\n");

        assertThat(new ConfigLoader().load(file, true).networkOrDefault().defaultForm())
                .isEqualTo("cni");
    }

    @Test
    void readsNetworkAndRuntimeHandlers() throws Exception {
        Path file = java.nio.file.Files.writeString(dir.resolve("berth.yaml"), """
                network:
                  confDir: /etc/cni/custom
                  bridge: cni9
                  subnet: 10.99.0.0/16
                runtimes:
                  crun:
                    path: /usr/bin/crun
                """);

        BerthConfig config = new ConfigLoader().load(file, true);

        assertThat(config.networkOrDefault().confDir()).isEqualTo("/etc/cni/custom");
        assertThat(config.networkOrDefault().subnet()).isEqualTo("10.99.0.0/16");
        assertThat(config.runtimesOrDefault().get("crun").path()).isEqualTo("/usr/bin/crun");
    }

    @Test
    void streamingDefaultsToLoopbackOnARandomPortWithContainerdsIdleTimeout() throws Exception {
        var settings =
                new ConfigLoader().load(dir.resolve("absent.yaml"), false).streamingSettings();

        assertThat(settings.address()).isEqualTo("127.0.0.1");
        assertThat(settings.port()).isZero();
        assertThat(settings.tls()).isFalse();
        assertThat(settings.idleTimeout()).isEqualTo(java.time.Duration.ofHours(4));
        assertThat(settings.streamCreationTimeout()).isEqualTo(java.time.Duration.ofSeconds(30));
    }

    @Test
    void readsStreamingAddressPortTlsAndGoStyleDurations() throws Exception {
        Path file = Files.writeString(dir.resolve("berth.yaml"), """
                streaming:
                  address: 0.0.0.0
                  port: 10010
                  tlsCert: /etc/berth/stream.crt
                  tlsKey: /etc/berth/stream.key
                  idleTimeout: 1h30m
                  streamCreationTimeout: 500ms
                """);

        var settings = new ConfigLoader().load(file, true).streamingSettings();

        assertThat(settings.address()).isEqualTo("0.0.0.0");
        assertThat(settings.port()).isEqualTo(10010);
        assertThat(settings.tlsCert()).isEqualTo(Path.of("/etc/berth/stream.crt"));
        assertThat(settings.idleTimeout()).isEqualTo(java.time.Duration.ofMinutes(90));
        assertThat(settings.streamCreationTimeout()).isEqualTo(java.time.Duration.ofMillis(500));
    }

    @Test
    void refusesBadStreamingSettingsAtLoad() throws Exception {
        for (String bad : List.of(
                "streaming:\n  idleTimeout: forever\n",
                "streaming:\n  port: 70000\n",
                "streaming:\n  tlsCert: /only/the/cert\n",
                "streaming:\n  idleTimeout: 0s\n")) {
            Path file = Files.writeString(dir.resolve("berth.yaml"), bad);
            assertThatThrownBy(() -> new ConfigLoader().load(file, true))
                    .isInstanceOf(ConfigLoader.InvalidConfigException.class)
                    .hasMessageContaining("streaming");
        }
    }

    @Test
    void pullProgressTimeoutIsContainerdsFiveMinutesUnlessTheFileSaysOtherwise() throws Exception {
        assertThat(new ConfigLoader()
                        .load(dir.resolve("absent.yaml"), false)
                        .imagesOrDefault()
                        .pullProgressTimeoutOrDefault())
                .isEqualTo(java.time.Duration.ofMinutes(5));
        Path file = Files.writeString(dir.resolve("berth.yaml"), "images:\n  pullProgressTimeout: 1m30s\n");
        assertThat(new ConfigLoader().load(file, true).imagesOrDefault().pullProgressTimeoutOrDefault())
                .isEqualTo(java.time.Duration.ofSeconds(90));

        Files.writeString(file, "images:\n  pullProgressTimeout: soon\n");
        assertThatThrownBy(() -> new ConfigLoader().load(file, true))
                .isInstanceOf(ConfigLoader.InvalidConfigException.class)
                .hasMessageContaining("images.pullProgressTimeout");
    }

    @Test
    void pushChunksAndParallelUploadsComeFromTheImagesSection() throws Exception {
        assertThat(BerthConfig.defaults().imagesOrDefault().pushSettings()).isEqualTo(PushSettings.DEFAULT);
        Path file = Files.writeString(
                dir.resolve("berth.yaml"),
                "images:\n  pushChunkedAbove: 1048576\n  pushChunkSize: 524288\n  maxConcurrentUploads: 5\n");
        assertThat(new ConfigLoader().load(file, true).imagesOrDefault().pushSettings())
                .isEqualTo(new PushSettings(1 << 20, 1 << 19, 5));

        Files.writeString(file, "images:\n  pushChunkSize: 0\n");
        assertThatThrownBy(() -> new ConfigLoader().load(file, true))
                .isInstanceOf(ConfigLoader.InvalidConfigException.class)
                .hasMessageContaining("push");
    }

    @Test
    void seccompWhenUnsetIsUnconfinedUnlessTheFileSaysRuntimeDefault() throws Exception {
        assertThat(BerthConfig.defaults().securityOrDefault().seccompWhenUnsetOrDefault())
                .isEqualTo(SeccompWhenUnset.Unconfined);
        Path file = Files.writeString(dir.resolve("berth.yaml"), """
                security:
                  seccompWhenUnset: RuntimeDefault
                """);

        assertThat(new ConfigLoader().load(file, true).securityOrDefault().seccompWhenUnsetOrDefault())
                .isEqualTo(SeccompWhenUnset.RuntimeDefault);

        Files.writeString(file, "security:\n  seccompWhenUnset: Localhost\n");
        assertThatThrownBy(() -> new ConfigLoader().load(file, true))
                .hasMessageContaining(file.toString())
                .hasMessageContaining("Localhost");
    }

    @Test
    void explicitlyNamedFileMustExist() {
        assertThatThrownBy(() -> new ConfigLoader().load(dir.resolve("absent.yaml"), true))
                .hasMessageContaining("does not exist");
    }

    @Test
    void readsMirrorsAndPaths() throws Exception {
        Path file = dir.resolve("berth.yaml");
        Files.writeString(file, """
                root: /srv/berth
                registries:
                  docker.io:
                    mirrors: ["http://127.0.0.1:5000", "mirror.example:443/prefix"]
                    mirrorsOnly: true
                  registry.internal:
                    plainHttp: true
                """);

        BerthConfig config = new ConfigLoader().load(file, true).withPaths(null, "/tmp/state", null);

        assertThat(config.rootDir()).isEqualTo(Path.of("/srv/berth"));
        assertThat(config.socketPath()).isEqualTo(Path.of("/tmp/state/berth.sock"));
        RegistryHost hub = config.registryConfig().hosts().get("docker.io");
        assertThat(hub.mirrors())
                .containsExactly(URI.create("http://127.0.0.1:5000"), URI.create("https://mirror.example:443/prefix"));
        assertThat(hub.mirrorsOnly()).isTrue();
        assertThat(config.registryConfig().hosts().get("registry.internal").plainHttp())
                .isTrue();
    }

    @Test
    void aRegistryHostWithoutSettingsGetsTheDefaults() throws Exception {
        Path file = dir.resolve("berth.yaml");
        Files.writeString(file, "registries:\n  registry.internal:\n");

        RegistryHost host =
                new ConfigLoader().load(file, true).registryConfig().hosts().get("registry.internal");

        assertThat(host.mirrors()).isEmpty();
        assertThat(host.mirrorsOnly()).isFalse();
        assertThat(host.plainHttp()).isFalse();
    }

    @Test
    void unknownKeysAndBadValuesAreRejectedWithTheFileName() throws Exception {
        Path file = dir.resolve("berth.yaml");
        Files.writeString(file, "regsitries: {}\n");

        assertThatThrownBy(() -> new ConfigLoader().load(file, true))
                .hasMessageContaining(file.toString())
                .hasMessageContaining("regsitries");

        Files.writeString(file, "images:\n  platform: linux\n");
        assertThatThrownBy(() -> new ConfigLoader().load(file, true)).hasMessageContaining("os/arch");
    }

    @Test
    void flagsParseInBothForms() {
        DaemonOptions options = DaemonOptions.parse(List.of("--root=/r", "--state", "/s", "--socket", "/s/x.sock"));

        assertThat(options.root()).isEqualTo("/r");
        assertThat(options.state()).isEqualTo("/s");
        assertThat(options.socket()).isEqualTo("/s/x.sock");
        assertThatThrownBy(() -> DaemonOptions.parse(List.of("--bogus", "1")))
                .hasMessageContaining("unknown flag --bogus");
    }
}
