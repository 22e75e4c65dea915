package dev.berth.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.metrics.CallDurations;
import dev.berth.process.CommandRunner;
import dev.berth.sys.NamespaceCalls;
import dev.berth.testkit.Privileges;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real CNI plugins from /usr/lib/cni on real network namespaces, on a test-only bridge and subnet. */
class CniNetworkTest {

    static final String BRIDGE = "berthtest0";
    static final String SUBNET = "10.231.0.0/24";
    static final String GATEWAY = "10.231.0.1";

    private static Set<String> chainsBefore;

    @TempDir
    Path temp;

    private final List<PodNetworkRequest> pods = new ArrayList<>();
    private final List<String> netnsNames = new ArrayList<>();
    private final List<Process> servers = new ArrayList<>();
    private final List<String> bridges = new ArrayList<>(List.of(BRIDGE));
    private CniSettings settings;
    private CniNetwork network;

    @BeforeAll
    static void recordHost() throws IOException {
        if ("root".equals(System.getProperty("user.name"))) {
            chainsBefore = HostNetwork.chains(HostNetwork.iptablesRules());
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        Privileges.requireRoot();
        Privileges.require(Files.isExecutable(Path.of("/usr/lib/cni/bridge")), "CNI plugins in /usr/lib/cni");
        Files.createDirectories(temp.resolve("net.d"));
        settings = new CniSettings(
                temp.resolve("net.d"),
                List.of(temp.resolve("no-plugins"), Path.of("/usr/lib/cni")),
                temp.resolve("state/cni"),
                BRIDGE,
                SUBNET);
        network = new CniNetwork(
                settings,
                new CommandRunner(temp.resolve("scratch")),
                PodLoopback.overNetlink(new NamespaceCalls()),
                CallDurations.NONE);
    }

    @AfterEach
    void cleanUp() throws IOException {
        servers.forEach(Process::destroyForcibly);
        for (PodNetworkRequest pod : pods) {
            try {
                network.tearDown(pod);
            } catch (IOException e) {
                System.err.println("cleanup: tearDown of " + pod.podId() + " failed: " + e.getMessage());
            }
        }
        for (String name : netnsNames) {
            HostNetwork.deleteNetns(name);
            HostNetwork.removeRulesOf(name);
        }
        for (String bridge : bridges) {
            HostNetwork.deleteLink(bridge);
        }
    }

    /**
     * Removes portmap's shared chains if this class made them. net.ipv4.ip_forward, which the bridge plugin
     * (isGateway) turns on host-wide, stays on: other bridges on the host may rely on it by now.
     */
    @AfterAll
    static void restoreHost() throws IOException {
        if (chainsBefore != null) {
            HostNetwork.removeSharedPortmapChains(chainsBefore);
        }
    }

    private PodNetworkRequest pod(List<PortMapping> ports) throws IOException {
        String id = "berthtest-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        netnsNames.add(id);
        Path netns = HostNetwork.addNetns(id);
        PodNetworkRequest request = new PodNetworkRequest(
                id, "web-" + id, "default", UUID.randomUUID().toString(), netns, ports);
        pods.add(request);
        return request;
    }

    private Path ipamFile(String ip) {
        return settings.ipamDataDir().resolve("berth").resolve(ip);
    }

    @Test
    void setUpGivesEth0AnAddressInTheSubnetAndBringsLoUp() throws Exception {
        PodNetworkRequest pod = pod(List.of());

        PodNetworkStatus status = network.setUp(pod);

        assertThat(status.interfaceName()).isEqualTo("eth0");
        assertThat(status.ip()).startsWith("10.231.0.").doesNotContain("/");
        assertThat(status.additionalIps()).isEmpty();
        assertThat(HostNetwork.inNetns(pod.netnsPath(), "ip", "-o", "-4", "addr", "show", "dev", "eth0"))
                .contains("inet " + status.ip() + "/24");
        assertThat(HostNetwork.inNetns(pod.netnsPath(), "ip", "-o", "link", "show", "dev", "lo"))
                .contains(",UP");
        assertThat(HostNetwork.inNetns(pod.netnsPath(), "ip", "route")).contains("default via " + GATEWAY);
        assertThat(ipamFile(status.ip())).exists();
        assertThat(network.networkName()).isEqualTo("berth");
        assertThat(network.notReadyReason()).isEmpty();
    }

    @Test
    void twoPodsOnTheBridgeReachEachOther() throws Exception {
        PodNetworkRequest first = pod(List.of());
        PodNetworkRequest second = pod(List.of());

        PodNetworkStatus a = network.setUp(first);
        PodNetworkStatus b = network.setUp(second);

        assertThat(a.ip()).isNotEqualTo(b.ip());
        assertThat(HostNetwork.inNetns(first.netnsPath(), "/bin/busybox", "ping", "-c1", "-W2", b.ip()))
                .contains("1 packets received");
        assertThat(HostNetwork.inNetns(second.netnsPath(), "/bin/busybox", "ping", "-c1", "-W2", a.ip()))
                .contains("1 packets received");
        assertThat(HostNetwork.inNetns(first.netnsPath(), "/bin/busybox", "ping", "-c1", "-W2", "127.0.0.1"))
                .contains("1 packets received");
    }

    @Test
    void hostPortReachesThePodThroughLoopbackAndTheBridgeAddress() throws Exception {
        int hostPort = 18080 + (int) (Math.random() * 1000);
        PodNetworkRequest pod = pod(List.of(new PortMapping("tcp", 8080, hostPort, "")));
        PodNetworkStatus status = network.setUp(pod);
        Path docroot = Files.createDirectories(temp.resolve("www"));
        Files.writeString(docroot.resolve("index.html"), "hello from " + pod.podId());
        servers.add(new ProcessBuilder(
                        "nsenter",
                        "--net=" + pod.netnsPath(),
                        "/bin/busybox",
                        "httpd",
                        "-f",
                        "-p",
                        "8080",
                        "-h",
                        docroot.toString())
                .redirectErrorStream(true)
                .redirectOutput(temp.resolve("httpd.log").toFile())
                .start());

        assertThat(httpGet(status.ip(), 8080)).as("directly").contains("hello from " + pod.podId());
        assertThat(httpGet(GATEWAY, hostPort)).as("through the bridge address").contains("hello from " + pod.podId());
        assertThat(httpGet("127.0.0.1", hostPort)).as("through 127.0.0.1").contains("hello from " + pod.podId());
    }

    @Test
    void tearDownRemovesVethIpamAllocationAndEveryRuleOfThePod() throws Exception {
        List<String> rulesBefore = HostNetwork.iptablesRules();
        PodNetworkRequest pod =
                pod(List.of(new PortMapping("tcp", 80, 18999, ""), new PortMapping("udp", 53, 18998, "")));
        PodNetworkStatus status = network.setUp(pod);
        List<String> rulesDuring = HostNetwork.iptablesRules();
        assertThat(rulesDuring).anyMatch(l -> l.contains(pod.podId()));
        assertThat(HostNetwork.run("ip", "-o", "link", "show", "master", BRIDGE))
                .contains("veth");

        network.tearDown(pod);

        assertThat(HostNetwork.run("ip", "-o", "link", "show", "master", BRIDGE))
                .doesNotContain("veth");
        assertThat(ipamFile(status.ip())).doesNotExist();
        List<String> rulesAfter = HostNetwork.iptablesRules();
        assertThat(rulesAfter).noneMatch(l -> l.contains(pod.podId()));
        Set<String> newChains = HostNetwork.chains(rulesAfter);
        newChains.removeAll(HostNetwork.chains(rulesBefore));
        assertThat(newChains).isSubsetOf(HostNetwork.SHARED_PORTMAP_CHAINS);
        assertThat(rulesAfter.stream().filter(l -> l.startsWith("-A")).toList())
                .containsExactlyInAnyOrderElementsOf(withoutPortmapSkeleton(rulesAfter, rulesBefore));
        assertThat(HostNetwork.inNetns(pod.netnsPath(), "ip", "-o", "link")).doesNotContain("eth0");
    }

    /** The rules after DEL are those before plus only portmap's shared jumps and chains' fixed rules. */
    private static List<String> withoutPortmapSkeleton(List<String> after, List<String> before) {
        List<String> expected =
                new ArrayList<>(before.stream().filter(l -> l.startsWith("-A")).toList());
        after.stream()
                .filter(l -> l.startsWith("-A") && !before.contains(l))
                .filter(l -> HostNetwork.SHARED_PORTMAP_CHAINS.stream().anyMatch(l::contains))
                .filter(l -> !l.contains("CNI-DN-"))
                .forEach(expected::add);
        return expected;
    }

    @Test
    void tearDownIsIdempotentAndNeedsNeitherAnAddNorTheNamespace() throws Exception {
        List<String> rulesBefore = HostNetwork.iptablesRules();
        PodNetworkRequest never = pod(List.of());
        network.tearDown(never);
        network.tearDown(never);

        PodNetworkRequest pod = pod(List.of(new PortMapping("tcp", 80, 18997, "")));
        PodNetworkStatus status = network.setUp(pod);
        assertThat(HostNetwork.iptablesRules())
                .anyMatch(l -> l.contains("dnat name: \\\"berth\\\" id: \\\"" + pod.podId()));
        HostNetwork.deleteNetns(pod.podId());
        assertThat(pod.netnsPath()).doesNotExist();

        network.tearDown(pod);
        network.tearDown(pod);

        // Without the namespace the IP allocation and portmap's rules still go. The bridge plugin's ipMasq
        // chain does not (bridge finds the pod's addresses only inside the namespace), which is why berthd
        // tears the network down before it releases the namespace; cleanUp removes that leftover.
        assertThat(ipamFile(status.ip())).doesNotExist();
        assertThat(HostNetwork.iptablesRules())
                .noneMatch(l -> l.contains("dnat name: \\\"berth\\\" id: \\\"" + pod.podId()))
                .noneMatch(l -> l.contains("CNI-DN-") && !rulesBefore.contains(l));
    }

    @Test
    void aConflistInTheConfDirIsPreferredOverTheDefault() throws Exception {
        bridges.add("berthtest1");
        Files.writeString(settings.confDir().resolve("10-other.conf"), """
                {"cniVersion":"1.0.0","name":"not-me","type":"bridge","bridge":"berthtest9",
                 "ipam":{"type":"host-local","subnet":"10.231.9.0/24"}}""");
        Files.writeString(settings.confDir().resolve("20-test.conflist"), """
                {"cniVersion":"1.0.0","name":"berthtest-net","plugins":[
                  {"type":"bridge","bridge":"berthtest1","isGateway":true,
                   "ipam":{"type":"host-local","subnet":"10.231.1.0/24","dataDir":"%s"}},
                  {"type":"portmap","capabilities":{"portMappings":true}}]}""".formatted(temp.resolve("ipam-other")));
        PodNetworkRequest pod = pod(List.of());

        PodNetworkStatus status = network.setUp(pod);

        assertThat(network.networkName()).isEqualTo("berthtest-net");
        assertThat(status.ip()).startsWith("10.231.1.");
        assertThat(temp.resolve("ipam-other/berthtest-net").resolve(status.ip()))
                .exists();
        network.tearDown(pod);
        assertThat(temp.resolve("ipam-other/berthtest-net").resolve(status.ip()))
                .doesNotExist();
    }

    @Test
    void aFailingPluginIsNamedWithItsCniErrorAndTheChainIsUndone() throws Exception {
        Files.writeString(
                settings.confDir().resolve("10-broken.conflist"), """
                {"cniVersion":"1.0.0","name":"berthtest-broken","plugins":[
                  {"type":"bridge","bridge":"%s","ipam":{"type":"host-local","subnet":"10.231.2.0/24",
                   "dataDir":"%s"}},
                  {"type":"tuning","sysctl":{"net.ipv4.no_such_sysctl":"1"}}]}""".formatted(BRIDGE, temp.resolve("ipam-broken")));
        PodNetworkRequest pod = pod(List.of());

        assertThatThrownBy(() -> network.setUp(pod))
                .isInstanceOf(CniPluginException.class)
                .hasMessageContaining("CNI plugin tuning ADD for " + pod.podId())
                .hasMessageContaining("no_such_sysctl");

        assertThat(HostNetwork.run("ip", "-o", "link", "show", "master", BRIDGE))
                .doesNotContain("veth");
        assertThat(HostNetwork.inNetns(pod.netnsPath(), "ip", "-o", "link")).doesNotContain("eth0");
        try (var files = Files.list(temp.resolve("ipam-broken/berthtest-broken"))) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("10.231."));
        }
    }

    private static String httpGet(String host, int port) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 2000);
                socket.setSoTimeout(3000);
                OutputStream out = socket.getOutputStream();
                out.write(
                        ("GET /index.html HTTP/1.0\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                last = e;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IOException(interrupted);
                }
            }
        }
        throw last;
    }
}
