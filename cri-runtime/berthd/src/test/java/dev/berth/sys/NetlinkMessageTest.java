package dev.berth.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Byte layouts of linux/netlink.h, rtnetlink.h and if_link.h, written out by hand (little-endian hosts). */
class NetlinkMessageTest {

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    @Test
    void bridgeCreationIsHeaderIfinfomsgNameAndNestedKind() {
        byte[] bytes = new NetlinkMessage(16, NetlinkMessage.NLM_F_CREATE | NetlinkMessage.NLM_F_EXCL)
                .ifinfomsg(0, 0, 0, 0)
                .attrString(3, "br0")
                .begin(18)
                .attrString(1, "bridge")
                .end()
                .bytes(7);
        org.junit.jupiter.api.Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);

        assertThat(hex(bytes))
                .isEqualTo(
                        // nlmsghdr: len 56, RTM_NEWLINK, REQUEST|ACK|EXCL|CREATE, seq 7, pid 0
                        "38000000" + "1000" + "0506" + "07000000" + "00000000"
                                // ifinfomsg: AF_UNSPEC, pad, type 0, index 0, flags 0, change 0
                                + "00000000" + "00000000" + "00000000" + "00000000"
                                // IFLA_IFNAME "br0\0"
                                + "0800" + "0300" + "62723000"
                                // IFLA_LINKINFO { IFLA_INFO_KIND "bridge\0" padded to 4 }
                                + "1000" + "1200" + "0b00" + "0100" + "62726964676500" + "00");
        assertThat(bytes.length).isEqualTo(56);
    }

    @Test
    void nestedAttributesCarryTheLengthOfTheirWholePayload() {
        byte[] bytes = new NetlinkMessage(16, 0)
                .ifinfomsg(0, 0, 0, 0)
                .begin(18)
                .attrString(1, "veth")
                .begin(2)
                .begin(1)
                .ifinfomsg(0, 0, 0, 0)
                .attrString(3, "eth0")
                .attrU32(28, 42)
                .end()
                .end()
                .end()
                .bytes(1);
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        int linkinfo = 32;
        // IFLA_LINKINFO = kind (4 + 5 -> 12) + IFLA_INFO_DATA
        assertThat(in.getShort(linkinfo + 2)).isEqualTo((short) 18);
        int data = linkinfo + 4 + 12;
        assertThat(in.getShort(data + 2)).isEqualTo((short) 2);
        int peer = data + 4;
        assertThat(in.getShort(peer + 2)).isEqualTo((short) 1);
        // VETH_INFO_PEER = header 4 + ifinfomsg 16 + IFLA_IFNAME 12 ("eth0\0" padded) + IFLA_NET_NS_FD 8
        assertThat(in.getShort(peer)).isEqualTo((short) 40);
        assertThat(in.getShort(data)).isEqualTo((short) 44);
        assertThat(in.getShort(linkinfo)).isEqualTo((short) 60);
        assertThat(in.getInt(peer + 4 + 16 + 12 + 4)).isEqualTo(42);
        assertThat(in.getInt(0)).isEqualTo(bytes.length).isEqualTo(linkinfo + 60);
    }

    @Test
    void addressAndRouteHeadersHaveTheirKernelSizes() {
        byte[] address = new NetlinkMessage(20, 0)
                .ifaddrmsg(2, 24, 0, 5)
                .attr(2, new byte[] {10, 0, 0, 2})
                .bytes(3);
        assertThat(hex(address).substring(32))
                .as("ifaddrmsg AF_INET /24 scope 0 index 5, then IFA_LOCAL 10.0.0.2")
                .isEqualTo("02180000" + "05000000".substring(0, 8) + "0800" + "0200" + "0a000002");

        byte[] route = new NetlinkMessage(24, 0)
                .rtmsg(2, 0, 254, 3, 0, 1)
                .attr(5, new byte[] {10, 0, 0, 1})
                .bytes(4);
        assertThat(hex(route).substring(32))
                .as("rtmsg AF_INET dst/0 main table, proto boot, universe, unicast, then RTA_GATEWAY 10.0.0.1")
                .isEqualTo("02000000" + "fe030001" + "00000000" + "0800" + "0500" + "0a000001");
        assertThat(route.length).isEqualTo(16 + 12 + 8);
    }
}
