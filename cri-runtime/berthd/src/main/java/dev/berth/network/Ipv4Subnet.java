package dev.berth.network;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 subnet of the default network, laid out as host-local lays out a range: the first address is the
 * gateway (the bridge's), pods get the ones after it up to the last before the broadcast address.
 *
 * @param network the network address as an unsigned 32-bit number in an int
 */
record Ipv4Subnet(int network, int prefixLength) {

    Ipv4Subnet {
        if (prefixLength < 8 || prefixLength > 30) {
            throw new IllegalArgumentException(
                    "default network subnet needs a prefix of /8 to /30, not /" + prefixLength);
        }
    }

    /** @throws IllegalArgumentException when {@code cidr} is not an IPv4 CIDR */
    static Ipv4Subnet parse(String cidr) {
        String canonical = PodCidrs.parse(cidr).cidrs().getFirst();
        if (canonical.contains(":")) {
            throw new IllegalArgumentException("the netlink default network is IPv4 only, not " + canonical);
        }
        int slash = canonical.indexOf('/');
        return new Ipv4Subnet(
                toInt(address(canonical.substring(0, slash))), Integer.parseInt(canonical.substring(slash + 1)));
    }

    Inet4Address gateway() {
        return at(1);
    }

    /** How many addresses pods can get. */
    int podAddresses() {
        return (1 << (32 - prefixLength)) - 3;
    }

    /** The {@code n}th pod address, 0-based: the one after the gateway is 0. */
    Inet4Address podAddress(int n) {
        return at(2 + n);
    }

    /** The index {@link #podAddress} takes for {@code address}, or -1 when it is not a pod address here. */
    int indexOf(Inet4Address address) {
        long offset = Integer.toUnsignedLong(toInt(address)) - Integer.toUnsignedLong(network) - 2;
        return offset >= 0 && offset < podAddresses() ? (int) offset : -1;
    }

    String cidr() {
        return at(0).getHostAddress() + "/" + prefixLength;
    }

    private Inet4Address at(int offset) {
        int value = network + offset;
        byte[] bytes = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are always an address", e);
        }
    }

    /** Parses a dotted quad without any name lookup; IllegalArgumentException for anything else. */
    static Inet4Address address(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + text);
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int part;
            try {
                part = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IPv4 address: " + text);
            }
            if (part < 0 || part > 255 || parts[i].length() > 3) {
                throw new IllegalArgumentException("not an IPv4 address: " + text);
            }
            bytes[i] = (byte) part;
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are always an address", e);
        }
    }

    private static int toInt(Inet4Address address) {
        byte[] b = address.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }
}
