package dev.berth.network;

import java.util.Locale;

/** How berthd wires its default network (berth.yaml {@code network.default}), used when no conflist is configured. */
public enum DefaultNetworkForm {
    /** in-process over netlink: no plugin process unless the pod has host ports */
    NETLINK,
    /** the embedded conflist through the bridge, host-local, portmap and loopback plugins */
    CNI;

    /** @throws IllegalArgumentException for anything but "netlink" or "cni"; null is the default, netlink */
    public static DefaultNetworkForm parse(String text) {
        if (text == null || text.isBlank()) {
            return NETLINK;
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "netlink" -> NETLINK;
            case "cni" -> CNI;
            default -> throw new IllegalArgumentException("network.default must be netlink or cni, not " + text);
        };
    }
}
