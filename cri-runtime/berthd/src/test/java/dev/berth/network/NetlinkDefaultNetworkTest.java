package dev.berth.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.metrics.CallDurations;
import dev.berth.process.CommandRunner;
import dev.berth.sys.NamespaceCalls;
import dev.berth.testing.PodNetworkFixture;
import dev.berth.testkit.Privileges;
import dev.berth.testkit.registry.Processes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The netlink form of the default network against the real kernel, on a bridge and subnet of this test's own. */
class NetlinkDefaultNetworkTest {

    @TempDir
    Path temp;

    private final List<PodNetworkRequest> pods = new ArrayList<>();
    private final List<String> netnsNames = new ArrayList<>();
    private PodNetworkFixture fixture;
    private CniSettings settings;
    private NodeNetwork network;

    @BeforeEach
    void setUp() throws IOException {
        Privileges.requireRoot();
        fixture = PodNetworkFixture.random(temp);
        Files.createDirectories(fixture.confDir());
        network = networkFor(fixture.subnet());
    }

    private NodeNetwork networkFor(String subnet) {
        settings = new CniSettings(
                fixture.confDir(),
                List.of(Path.of("/usr/lib/cni")),
                temp.resolve("state/cni"),
                fixture.bridge(),
                subnet);
        return new NodeNetwork(
                settings,
                DefaultNetworkForm.NETLINK,
                new CommandRunner(temp.resolve("scratch")),
                new NamespaceCalls(),
                CallDurations.NONE);
    }

    @AfterEach
    void cleanUp() throws IOException {
        for (PodNetworkRequest pod : pods) {
            try {
                network.tearDown(pod);
            } catch (IOException e) {
                System.err.println("cleanup: tearDown of " + pod.podId() + " failed: " + e.getMessage());
            }
        }
        for (String name : netnsNames) {
            HostNetwork.deleteNetns(name);
        }
        if (fixture != null) {
            fixture.deleteBridge();
        }
    }

    private PodNetworkRequest pod() throws IOException {
        String id = "nltest-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        netnsNames.add(id);
        Path netns = HostNetwork.addNetns(id);
        PodNetworkRequest request = new PodNetworkRequest(
                id, "web-" + id, "default", UUID.randomUUID().toString(), netns, List.of());
        pods.add(request);
        return request;
    }

    private Path addressFile(String ip) {
        return settings.ipamDataDir().resolve("berth").resolve(ip);
    }

    private String gateway() {
        return fixture.prefix() + "1";
    }

    @Test
    void podGetsAnAddressAndReachesTheGatewayAndAServerOnTheHostSide() throws Exception {
        PodNetworkRequest pod = pod();

        PodNetworkStatus status = network.setUp(pod);

        assertThat(status.interfaceName()).isEqualTo("eth0");
        assertThat(status.ip()).isEqualTo(fixture.prefix() + "2");
        assertThat(Files.readString(addressFile(status.ip()), StandardCharsets.UTF_8))
                .isEqualTo(pod.podId() + "\r\neth0");
        assertThat(HostNetwork.inNetns(pod.netnsPath(), "ip", "-o", "-4", "addr", "show"))
                .contains("lo    inet 127.0.0.1/8")
                .contains("eth0    inet " + status.ip() + "/24");
        assertThat(HostNetwork.inNetns(pod.netnsPath(), "ip", "route", "show", "default"))
                .contains("default via " + gateway() + " dev eth0");
        assertThat(HostNetwork.inNetns(pod.netnsPath(), "busybox", "ping", "-c", "1", "-W", "3", gateway()))
                .contains("1 packets received");
        String hostInterface = NetlinkBridgeNetwork.hostInterface(pod.podId());
        assertThat(Files.readString(Path.of("/sys/class/net", hostInterface, "brport/hairpin_mode"))
                        .strip())
                .isEqualTo("1");
        assertThat(HostNetwork.sysctl("net.ipv4.ip_forward")).isEqualTo("1");
        assertThat(Processes.run(List.of("iptables-save", "-t", "nat"), 30).lines())
                .filteredOn(fixture::isNodeMasqueradeRule)
                .containsExactly("-A POSTROUTING -s " + fixture.subnet() + " ! -o " + fixture.bridge()
                        + " -m comment --comment \"berth " + fixture.bridge()
                        + " pods leaving the node\" -j MASQUERADE");

        // a server bound to the bridge's address: the host side of the pod's network
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName(gateway()))) {
            Thread.ofVirtual().start(() -> {
                try (Socket client = server.accept()) {
                    client.getOutputStream().write("hello-from-host\n".getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // the assertion below reports it
                }
            });
            String reply = HostNetwork.inNetns(
                    pod.netnsPath(), "busybox", "nc", "-w", "3", gateway(), Integer.toString(server.getLocalPort()));
            assertThat(reply).contains("hello-from-host");
        }
    }

    @Test
    void twoPodsGetDifferentAddressesAndReachEachOther() throws Exception {
        PodNetworkRequest first = pod();
        PodNetworkRequest second = pod();

        String firstIp = network.setUp(first).ip();
        String secondIp = network.setUp(second).ip();

        assertThat(firstIp).isNotEqualTo(secondIp);
        assertThat(HostNetwork.inNetns(first.netnsPath(), "busybox", "ping", "-c", "1", "-W", "3", secondIp))
                .contains("1 packets received");
        assertThat(HostNetwork.inNetns(second.netnsPath(), "busybox", "ping", "-c", "1", "-W", "3", firstIp))
                .contains("1 packets received");
    }

    @Test
    void teardownLeavesNoVethNoAddressFileAndCanBeRepeated() throws Exception {
        PodNetworkRequest pod = pod();
        String ip = network.setUp(pod).ip();
        String hostInterface = NetlinkBridgeNetwork.hostInterface(pod.podId());
        assertThat(Path.of("/sys/class/net", hostInterface)).exists();

        network.tearDown(pod);
        network.tearDown(pod);

        assertThat(Path.of("/sys/class/net", hostInterface)).doesNotExist();
        assertThat(addressFile(ip)).doesNotExist();
        assertThat(Processes.run(List.of("ip", "-o", "link", "show", "master", fixture.bridge()), 10))
                .isBlank();
        assertThat(HostNetwork.inNetns(pod.netnsPath(), "ip", "-o", "link", "show"))
                .doesNotContain("eth0");
        assertThat(settings.resultCacheDir().resolve(pod.podId() + "-eth0.json"))
                .doesNotExist();
    }

    @Test
    void aFullSubnetRefusesTheNextPodWithoutLeavingAnythingAndAReleasedAddressIsReused() throws Exception {
        // a /30 has exactly one pod address besides the gateway
        String subnet = fixture.prefix() + "0/30";
        network = networkFor(subnet);
        PodNetworkRequest first = pod();
        PodNetworkRequest second = pod();
        String ip = network.setUp(first).ip();
        assertThat(ip).isEqualTo(fixture.prefix() + "2");

        assertThatThrownBy(() -> network.setUp(second)).hasMessageContaining("no free address");
        assertThat(Path.of("/sys/class/net", NetlinkBridgeNetwork.hostInterface(second.podId())))
                .doesNotExist();

        network.tearDown(first);
        assertThat(network.setUp(second).ip()).isEqualTo(ip);
        assertThat(Files.readString(addressFile(ip))).startsWith(second.podId());
    }

    @Test
    void aRestartedBerthdTearsDownAPodAttachedBeforeAndCollectsAddressesOfUnknownPods() throws Exception {
        PodNetworkRequest kept = pod();
        PodNetworkRequest known = pod();
        String keptIp = network.setUp(kept).ip();
        String knownIp = network.setUp(known).ip();
        // what a berthd killed between allocating and recording leaves: an address held by a pod nobody knows
        Files.writeString(addressFile(fixture.prefix() + "200"), "gone-pod\r\neth0");
        Files.writeString(addressFile(fixture.prefix() + "201"), "");

        NodeNetwork restarted = networkFor(fixture.subnet());
        restarted.releaseAddressesOfUnknownPods(Set.of(kept.podId(), known.podId()));
        restarted.tearDown(known);

        assertThat(addressFile(fixture.prefix() + "200")).doesNotExist();
        assertThat(addressFile(fixture.prefix() + "201")).doesNotExist();
        assertThat(addressFile(keptIp)).exists();
        assertThat(addressFile(knownIp)).doesNotExist();
        assertThat(Path.of("/sys/class/net", NetlinkBridgeNetwork.hostInterface(known.podId())))
                .doesNotExist();
        assertThat(Path.of("/sys/class/net", NetlinkBridgeNetwork.hostInterface(kept.podId())))
                .exists();
    }

    @Test
    void teardownWithoutACachedResultStillRemovesTheVethAndAddress() throws Exception {
        PodNetworkRequest pod = pod();
        String ip = network.setUp(pod).ip();
        // as after a crash between the kernel work and writing the result
        Files.delete(settings.resultCacheDir().resolve(pod.podId() + "-eth0.json"));

        network.tearDown(pod);

        assertThat(Path.of("/sys/class/net", NetlinkBridgeNetwork.hostInterface(pod.podId())))
                .doesNotExist();
        assertThat(addressFile(ip)).doesNotExist();
    }

    @Test
    void theCniFormRunsThePluginsAndSharesTheAddressDirectory() throws Exception {
        NodeNetwork cni = new NodeNetwork(
                settings,
                DefaultNetworkForm.CNI,
                new CommandRunner(temp.resolve("scratch")),
                new NamespaceCalls(),
                CallDurations.NONE);
        PodNetworkRequest viaPlugins = pod();
        PodNetworkRequest viaNetlink = pod();

        String pluginIp = cni.setUp(viaPlugins).ip();
        String netlinkIp = network.setUp(viaNetlink).ip();

        assertThat(netlinkIp).isNotEqualTo(pluginIp);
        assertThat(Path.of("/sys/class/net", NetlinkBridgeNetwork.hostInterface(viaPlugins.podId())))
                .as("the bridge plugin names its veths itself")
                .doesNotExist();
        assertThat(addressFile(pluginIp)).exists();
        // each pod is detached by the form that attached it, whichever form is configured now
        network.tearDown(viaPlugins);
        cni.tearDown(viaNetlink);
        assertThat(addressFile(pluginIp)).doesNotExist();
        assertThat(addressFile(netlinkIp)).doesNotExist();
        assertThat(Processes.run(List.of("ip", "-o", "link", "show", "master", fixture.bridge()), 10))
                .isBlank();
        HostNetwork.removeRulesOf(viaPlugins.podId());
    }
}
