package dev.berth.network;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The node's pod CIDRs as kubelet sends them in UpdateRuntimeConfig: one CIDR, or an IPv4 and an IPv6 one
 * joined by a comma on a dual-stack node. Each becomes one host-local range set of the embedded default
 * network, written with its network address (host bits cleared).
 */
record PodCidrs(List<String> cidrs) {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    PodCidrs {
        cidrs = List.copyOf(cidrs);
    }

    /** @throws IllegalArgumentException naming the part that is not a CIDR */
    static PodCidrs parse(String text) {
        List<String> result = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            result.add(canonical(part.strip()));
        }
        return new PodCidrs(result);
    }

    boolean hasIpv4() {
        return cidrs.stream().anyMatch(c -> !c.contains(":"));
    }

    boolean hasIpv6() {
        return cidrs.stream().anyMatch(c -> c.contains(":"));
    }

    private static String canonical(String cidr) {
        int slash = cidr.indexOf('/');
        String address = slash < 0 ? "" : cidr.substring(0, slash);
        // only literals reach InetAddress, which then parses without any name lookup
        boolean v4 = IPV4.matcher(address).matches();
        if (!v4 && !IPV6.matcher(address).matches()) {
            throw invalid(cidr);
        }
        byte[] bytes;
        int prefix;
        try {
            bytes = InetAddress.getByName(address).getAddress();
            prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (UnknownHostException | NumberFormatException e) {
            throw invalid(cidr);
        }
        if (v4 != (bytes.length == 4) || prefix < 0 || prefix > bytes.length * 8) {
            throw invalid(cidr);
        }
        for (int bit = prefix; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return InetAddress.getByAddress(bytes).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }

    private static IllegalArgumentException invalid(String cidr) {
        return new IllegalArgumentException("pod CIDR is not an IPv4 or IPv6 CIDR such as 10.244.1.0/24: '"
                + (cidr.length() > 64 ? cidr.substring(0, 64) + "…" : cidr) + "'");
    }
}
