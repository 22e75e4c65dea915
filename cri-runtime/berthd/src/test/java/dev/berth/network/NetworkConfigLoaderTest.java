package dev.berth.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.store.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkConfigLoaderTest {

    @TempDir
    Path temp;

    private NetworkConfigLoader loader(Path confDir) {
        return new NetworkConfigLoader(
                new CniSettings(
                        confDir, List.of(temp.resolve("bin")), temp.resolve("state"), "berthtest5", "10.231.5.0/24"),
                new Json().mapper());
    }

    @Test
    void emptyOrMissingConfDirGivesTheEmbeddedDefaultWithTheConfiguredBridgeSubnetAndDataDir() throws Exception {
        NetworkConfigList network = loader(temp.resolve("absent")).load();

        assertThat(network.name()).isEqualTo("berth");
        assertThat(network.cniVersion()).isEqualTo("1.0.0");
        assertThat(network.source()).isEqualTo("embedded default");
        assertThat(network.pluginTypes()).containsExactly("bridge", "portmap");
        var bridge = network.plugins().getFirst();
        assertThat(bridge.path("bridge").asText()).isEqualTo("berthtest5");
        assertThat(bridge.path("isGateway").asBoolean()).isTrue();
        assertThat(bridge.path("ipMasq").asBoolean()).isTrue();
        assertThat(bridge.path("hairpinMode").asBoolean()).isTrue();
        assertThat(bridge.path("ipam")
                        .path("ranges")
                        .get(0)
                        .get(0)
                        .path("subnet")
                        .asText())
                .isEqualTo("10.231.5.0/24");
        assertThat(bridge.path("ipam").path("dataDir").asText())
                .isEqualTo(temp.resolve("state/networks").toString());
        assertThat(bridge.path("ipam").path("routes").get(0).path("dst").asText())
                .isEqualTo("0.0.0.0/0");
        assertThat(network.plugins()
                        .get(1)
                        .path("capabilities")
                        .path("portMappings")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void conflistsComeFirstInLexicalOrderThenSingleConfsLiftedIntoAList() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("net.d"));
        Files.writeString(dir.resolve("00-single.conf"), """
                {"cniVersion":"0.4.0","name":"single","type":"ptp"}""");
        Files.writeString(dir.resolve("20-b.conflist"), """
                {"cniVersion":"1.0.0","name":"b","plugins":[{"type":"bridge"}]}""");
        Files.writeString(dir.resolve("10-a.conflist"), """
                {"cniVersion":"1.0.0","name":"a","plugins":[{"type":"macvlan"},{"type":"portmap"}]}""");
        Files.writeString(dir.resolve("05-notes.txt"), "not a network");

        assertThat(loader(dir).load().name()).isEqualTo("a");

        Files.delete(dir.resolve("10-a.conflist"));
        Files.delete(dir.resolve("20-b.conflist"));
        NetworkConfigList single = loader(dir).load();
        assertThat(single.name()).isEqualTo("single");
        assertThat(single.cniVersion()).isEqualTo("0.4.0");
        assertThat(single.pluginTypes()).containsExactly("ptp");
    }

    @Test
    void anInvalidFileIsSkippedForTheNextValidOne() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("net.d"));
        Files.writeString(dir.resolve("10-broken.conflist"), "{ not json");
        Files.writeString(dir.resolve("20-noplugins.conflist"), """
                {"cniVersion":"1.0.0","name":"empty","plugins":[]}""");
        Files.writeString(dir.resolve("30-good.conflist"), """
                {"cniVersion":"1.0.0","name":"good","plugins":[{"type":"bridge"}]}""");

        assertThat(loader(dir).load().name()).isEqualTo("good");
    }

    @Test
    void aConfDirWithOnlyBrokenNetworksIsAnErrorNotTheDefault() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("net.d"));
        Files.writeString(dir.resolve("10-broken.conflist"), "{ not json");
        Files.writeString(dir.resolve("20-nameless.conf"), """
                {"cniVersion":"1.0.0","type":"bridge"}""");

        assertThatThrownBy(() -> loader(dir).load())
                .isInstanceOf(InvalidNetworkConfigException.class)
                .hasMessageContaining("10-broken.conflist")
                .hasMessageContaining("has no \"name\"");
    }
}
