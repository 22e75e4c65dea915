package dev.berth.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.testkit.Privileges;
import dev.berth.testkit.registry.Processes;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real rtnetlink against the kernel, in a netns and on links named for this test run only. */
class RouteNetlinkTest {

    private final String suffix = Integer.toString(ThreadLocalRandom.current().nextInt(100_000, 999_999));
    private final String netnsName = "rnlt" + suffix;
    private final String bridge = "rnb" + suffix;
    private final String veth = "rnv" + suffix;
    private Path netns;

    @BeforeEach
    void createNetns() throws Exception {
        Privileges.requireRoot();
        Processes.run(List.of("ip", "netns", "add", netnsName), 10);
        netns = Path.of("/run/netns", netnsName);
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (String link : List.of(veth, bridge)) {
            if (Files.exists(Path.of("/sys/class/net", link))) {
                Processes.run(List.of("ip", "link", "del", link), 10);
            }
        }
        if (netns != null && Files.exists(netns)) {
            Processes.run(List.of("ip", "netns", "del", netnsName), 10);
        }
    }

    @Test
    void wiresAVethFromABridgeIntoANamespaceWithAddressAndRoute() throws Exception {
        Inet4Address gateway = (Inet4Address) InetAddress.getByName("10.234.77.1");
        Inet4Address pod = (Inet4Address) InetAddress.getByName("10.234.77.9");
        try (RouteNetlink host = RouteNetlink.open()) {
            host.createBridge(bridge);
            int bridgeIndex = host.linkIndex(bridge).orElseThrow();
            host.addAddress(bridgeIndex, gateway, 24);
            host.setUp(bridgeIndex);
            host.createVethPair(veth, bridgeIndex, "eth0", netns, 1400);
            host.setHairpin(host.linkIndex(veth).orElseThrow());
        }
        try (RouteNetlink inPod = RouteNetlink.openIn(netns, new NamespaceCalls())) {
            inPod.setUp(inPod.linkIndex("lo").orElseThrow());
            int eth0 = inPod.linkIndex("eth0").orElseThrow();
            inPod.setUp(eth0);
            inPod.addAddress(eth0, pod, 24);
            inPod.addDefaultRoute(gateway);
        }

        assertThat(Files.readString(Path.of("/sys/class/net", veth, "master/ifindex"))
                        .strip())
                .isEqualTo(Files.readString(Path.of("/sys/class/net", bridge, "ifindex"))
                        .strip());
        assertThat(Files.readString(Path.of("/sys/class/net", veth, "brport/hairpin_mode"))
                        .strip())
                .isEqualTo("1");
        assertThat(Files.readString(Path.of("/sys/class/net", veth, "mtu")).strip())
                .isEqualTo("1400");
        String addresses = inNetns("ip", "-o", "-4", "addr", "show");
        assertThat(addresses).contains("eth0    inet 10.234.77.9/24").contains("lo    inet 127.0.0.1/8");
        assertThat(inNetns("ip", "route", "show", "default")).contains("default via 10.234.77.1 dev eth0");
        assertThat(inNetns("busybox", "ping", "-c", "1", "-W", "2", "10.234.77.1"))
                .contains("1 packets received");
    }

    @Test
    void deletingTheHostEndRemovesThePeerAndASecondDeleteFindsNothing() throws Exception {
        try (RouteNetlink host = RouteNetlink.open()) {
            host.createBridge(bridge);
            int bridgeIndex = host.linkIndex(bridge).orElseThrow();
            host.createVethPair(veth, bridgeIndex, "eth0", netns, 0);

            assertThat(host.deleteLink(veth)).isTrue();
            assertThat(host.deleteLink(veth)).isFalse();
            assertThat(host.linkIndex(veth)).isEmpty();
        }
        assertThat(inNetns("ip", "-o", "link", "show")).doesNotContain("eth0");
    }

    @Test
    void refusalsNameTheOperationAndCarryTheErrno() throws Exception {
        try (RouteNetlink host = RouteNetlink.open()) {
            host.createBridge(bridge);
            int index = host.linkIndex(bridge).orElseThrow();
            host.setDown(index);
            host.setMtu(index, 1300);
            assertThat(Files.readString(Path.of("/sys/class/net", bridge, "mtu"))
                            .strip())
                    .isEqualTo("1300");

            assertThatThrownBy(() -> host.createBridge(bridge))
                    .isInstanceOfSatisfying(
                            SyscallException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST))
                    .hasMessageContaining("netlink create bridge " + bridge);
        }
    }

    private String inNetns(String... argv) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("ip", "netns", "exec", netnsName));
        command.addAll(List.of(argv));
        return Processes.run(command, 10);
    }
}
