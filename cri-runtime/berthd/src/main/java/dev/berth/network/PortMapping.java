package dev.berth.network;

import java.util.Locale;
import java.util.Set;

/**
 * A pod's host port, in the shape of CNI's {@code runtimeConfig.portMappings} entry.
 *
 * @param protocol "tcp", "udp" or "sctp", lower-case as the portmap plugin expects
 * @param hostIp empty or null for every host address
 */
public record PortMapping(String protocol, int containerPort, int hostPort, String hostIp) {

    private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "sctp");

    public PortMapping {
        protocol = protocol == null || protocol.isEmpty() ? "tcp" : protocol.toLowerCase(Locale.ROOT);
        if (!PROTOCOLS.contains(protocol)) {
            throw new IllegalArgumentException("port mapping protocol must be tcp, udp or sctp, not " + protocol);
        }
        if (containerPort < 1 || containerPort > 65535) {
            throw new IllegalArgumentException("container port " + containerPort + " is outside 1-65535");
        }
        if (hostPort < 0 || hostPort > 65535) {
            throw new IllegalArgumentException("host port " + hostPort + " is outside 0-65535");
        }
        hostIp = hostIp == null ? "" : hostIp;
    }
}
