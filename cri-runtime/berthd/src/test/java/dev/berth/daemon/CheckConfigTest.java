package dev.berth.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code berthd check-config}: every problem of berth.yaml and of its CNI network as {@code key: problem}. */
class CheckConfigTest {

    @TempDir
    Path dir;

    private Path plugins;
    private Path conf;

    private record Result(int exit, String output) {}

    @BeforeEach
    void pluginsAndNetwork() throws Exception {
        plugins = Files.createDirectory(dir.resolve("bin"));
        for (String plugin : List.of("bridge", "host-local", "portmap")) {
            Files.writeString(plugins.resolve(plugin), "#!/bin/sh\n");
            Files.setPosixFilePermissions(plugins.resolve(plugin), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        conf = Files.createDirectory(dir.resolve("net.d"));
        Files.writeString(conf.resolve("10-pods.conflist"), """
                {"cniVersion": "1.0.0", "name": "pods", "plugins": [
                  {"type": "bridge", "ipam": {"type": "host-local"}},
                  {"type": "portmap", "capabilities": {"portMappings": true}}]}
                """);
    }

    private Result check(String yaml) throws Exception {
        Path file = Files.writeString(dir.resolve("berth.yaml"), yaml);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = new CheckConfig(new PrintStream(out, true, StandardCharsets.UTF_8))
                .run(List.of("--config", file.toString()));
        return new Result(exit, out.toString(StandardCharsets.UTF_8));
    }

    private String network() {
        return "network:\n  confDir: " + conf + "\n  pluginDirs: [" + plugins + "]\n";
    }

    @Test
    void aGoodFileAndNetworkAreConfigurationOk() throws Exception {
        Result result = check(network() + """
                registries:
                  "registry.example:5000":
                    mirrors: ["https://mirror.example", "http://127.0.0.1:5001/prefix"]
                    plainHttp: true
                images:
                  pullProgressTimeout: 2m30s
                streaming:
                  address: 0.0.0.0
                  idleTimeout: 4h
                log:
                  format: json
                  level: debug
                  loggers:
                    io.grpc: info
                """);

        assertThat(result.output()).endsWith("configuration OK\n");
        assertThat(result.exit()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "regsitries: {}|regsitries: unknown key",
                "images:\\n  maxConcurrentDownlaods: 3|images.maxConcurrentDownlaods: unknown key",
                "registries:\\n  docker.io:\\n    mirors: [a]|registries.docker.io.mirors: unknown key",
                "log:\\n  levels: {a: 1}|log.levels: unknown key",
                "images:\\n  maxConcurrentDownloads: many|images.maxConcurrentDownloads: not an integer: many",
                "images:\\n  platform: [linux]|images.platform: expected a string, found a list",
                "registries:\\n  docker.io:\\n    plainHttp: maybe|registries.docker.io.plainHttp: not true or false: maybe",
                "images:\\n  pullProgressTimeout: soon|images.pullProgressTimeout: must be a duration such as 30s",
                "streaming:\\n  idleTimeout: 5 minutes|streaming.idleTimeout: must be a duration such as 30s",
                "streaming:\\n  address: 300.1.2.3|streaming.address: not an IP address or host name: 300.1.2.3",
                "streaming:\\n  port: 70000|streaming.port: must be 0-65535, not 70000",
                "network:\\n  subnet: 10.88.0.0|network.subnet: not a CIDR such as 10.88.0.0/16: 10.88.0.0",
                "registries:\\n  docker.io:\\n    mirrors: ['ftp://m.example']|registries.docker.io.mirrors[0]: must be an http or https URL",
                "registries:\\n  docker.io:\\n    mirrors: ['http://']|registries.docker.io.mirrors[0]: not a URL: http://",
                "security:\\n  seccompWhenUnset: Localhost|security.seccompWhenUnset: not one of RuntimeDefault, Unconfined: Localhost",
                "log:\\n  format: xml|log.format: must be text or json, not xml",
                "log:\\n  level: verbose|log.level: must be one of error, warn, info, debug, trace, not verbose",
                "streaming:\\n  tlsCert: /nonexistent/cert.pem\\n  tlsKey: /nonexistent/key.pem|streaming.tlsCert: no such file: /nonexistent/cert.pem",
                "runtimes:\\n  crun:\\n    path: /nonexistent/crun|runtimes.crun.path: no such file: /nonexistent/crun",
                "network:\\n  pluginDirs: [/nonexistent/cni]|network.pluginDirs[0]: no such directory: /nonexistent/cni",
            })
    void eachBadKeyIsNamedWithItsProblem(String yaml, String problem) throws Exception {
        Result result = check(yaml.replace("\\n", "\n"));

        assertThat(result.output()).startsWith(problem).doesNotContain("configuration OK");
        assertThat(result.exit()).isEqualTo(1);
    }

    @Test
    void everyProblemIsReportedNotOnlyTheFirst() throws Exception {
        Result result = check("""
                regsitries: {}
                images:
                  pullProgressTimeout: soon
                  maxConcurrentDownloads: 0
                streaming:
                  port: -1
                """);

        assertThat(result.output().lines())
                .containsExactlyInAnyOrder(
                        "regsitries: unknown key",
                        "images.pullProgressTimeout: must be a duration such as 30s, 5m or 4h, not soon",
                        "images.maxConcurrentDownloads: must be at least 1",
                        "streaming.port: must be 0-65535, not -1");
        assertThat(result.exit()).isEqualTo(1);
    }

    @Test
    void aBrokenConflistIsAnError() throws Exception {
        Files.writeString(conf.resolve("05-broken.conflist"), "{\"cniVersion\": \"1.0.0\", \"name\": \"half\", ");

        Result result = check(network());

        assertThat(result.output()).startsWith("network.confDir: " + conf.resolve("05-broken.conflist") + ": ");
        assertThat(result.exit()).isEqualTo(1);

        Files.writeString(
                conf.resolve("05-broken.conflist"),
                "{\"cniVersion\": \"1.0.0\", \"name\": \"half\", \"plugins\": [{\"name\": \"no type\"}]}");
        assertThat(check(network()).output())
                .isEqualTo("network.confDir: " + conf.resolve("05-broken.conflist")
                        + ": network half has a plugin without \"type\"\n");
    }

    @Test
    void aPluginTheNetworkNeedsMustBeInThePluginDirs() throws Exception {
        Files.delete(plugins.resolve("host-local"));

        Result result = check(network());

        assertThat(result.output())
                .startsWith("network.pluginDirs: plugin host-local of network pods (" + conf.resolve("10-pods.conflist")
                        + ") is in none of [" + plugins + "]");
        assertThat(result.exit()).isEqualTo(1);
    }

    @Test
    void aMissingFileIsAnError() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = new CheckConfig(new PrintStream(out, true, StandardCharsets.UTF_8))
                .run(List.of("--config", dir.resolve("absent.yaml").toString()));

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(dir.resolve("absent.yaml") + ": does not exist\n");
        assertThat(exit).isEqualTo(1);
    }
}
