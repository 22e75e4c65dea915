package dev.berth.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.metrics.CallDurations;
import dev.berth.process.CommandRunner;
import dev.berth.testkit.Privileges;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readiness and configuration errors, found before any plugin runs: no root needed. */
class CniNetworkReadinessTest {

    @TempDir
    Path temp;

    private CniNetwork network(Path confDir, Path... pluginDirs) {
        return new CniNetwork(
                new CniSettings(confDir, List.of(pluginDirs), temp.resolve("state"), "berthtest6", "10.231.6.0/24"),
                new CommandRunner(temp.resolve("scratch")),
                netns -> {
                    throw new AssertionError("no namespace of these tests is ever set up");
                },
                CallDurations.NONE);
    }

    private PodNetworkRequest pod() {
        return new PodNetworkRequest(
                "pod1", "web", "default", "uid-1", temp.resolve("netns-that-does-not-exist"), List.of());
    }

    @Test
    void aNetworkNamingAMissingPluginIsNotReadyAndSetUpSaysWhatToInstall() throws Exception {
        Path confDir = Files.createDirectories(temp.resolve("net.d"));
        Files.writeString(confDir.resolve("10-x.conflist"), """
                {"cniVersion":"1.0.0","name":"x","plugins":[{"type":"bridge","ipam":{"type":"host-local"}},
                 {"type":"nosuchplugin"}]}""");
        CniNetwork network = network(confDir, temp.resolve("empty"), Path.of("/usr/lib/cni"));

        assertThat(network.notReadyReason())
                .hasValueSatisfying(reason -> assertThat(reason)
                        .contains("nosuchplugin")
                        .contains("10-x.conflist")
                        .doesNotContain("bridge")
                        .contains("install"));
        assertThatThrownBy(() -> network.setUp(pod()))
                .isInstanceOf(PluginNotFoundException.class)
                .hasMessageContaining("\"nosuchplugin\" not found in")
                .hasMessageContaining("/usr/lib/cni");
        assertThat(network.networkName()).isEqualTo("x");
    }

    @Test
    void noPluginDirWithTheDefaultNetworksPluginsIsNotReady() {
        CniNetwork network = network(temp.resolve("net.d"), temp.resolve("nothing-here"));

        assertThat(network.notReadyReason())
                .hasValueSatisfying(reason -> assertThat(reason)
                        .contains("bridge")
                        .contains("portmap")
                        .contains("host-local")
                        .as("berthd brings lo up itself")
                        .doesNotContain("loopback"));
    }

    @Test
    void theDefaultNetworkIsReadyWhenThePluginsAreInstalled() {
        Privileges.require(
                Files.isExecutable(Path.of("/usr/lib/cni/bridge")),
                "the CNI plugins are not installed (apt-get install containernetworking-plugins)");
        CniNetwork network = network(temp.resolve("net.d"), temp.resolve("nothing-here"), Path.of("/usr/lib/cni"));

        assertThat(network.notReadyReason()).isEmpty();
        assertThat(network.networkName()).isEqualTo("berth");
    }

    @Test
    void setUpRefusesANamespaceThatDoesNotExist() {
        Privileges.require(
                Files.isExecutable(Path.of("/usr/lib/cni/bridge")),
                "the CNI plugins are not installed (apt-get install containernetworking-plugins)");
        CniNetwork network = network(temp.resolve("net.d"), Path.of("/usr/lib/cni"));

        assertThatThrownBy(() -> network.setUp(pod()))
                .hasMessageContaining("network namespace of pod pod1 does not exist");
    }

    @Test
    void badRequestsAreRejectedWithAReason() {
        assertThatThrownBy(() -> new PodNetworkRequest("../etc", "n", "ns", "u", temp, List.of()))
                .hasMessageContaining("pod ID");
        assertThatThrownBy(() -> new PortMapping("icmp", 80, 8080, "")).hasMessageContaining("tcp, udp or sctp");
        assertThatThrownBy(() -> new PortMapping("tcp", 0, 8080, "")).hasMessageContaining("container port");
        assertThat(new PortMapping("TCP", 80, 8080, null)).isEqualTo(new PortMapping("tcp", 80, 8080, ""));
    }
}
