package dev.berth.cli.container;

import dev.berth.cli.CliException;
import dev.berth.cri.v1.PortMapping;
import dev.berth.cri.v1.Protocol;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A published port, {@code -p [HOSTIP:]HOST:CTR[/udp]}; {@code hostIp} empty means every address. */
public record PortSpec(String hostIp, int hostPort, int containerPort, String protocol) {

    public PortSpec {
        protocol = protocol.toLowerCase(Locale.ROOT);
    }

    /**
     * Parses docker's forms: {@code CTR}, {@code HOST:CTR}, {@code IP:HOST:CTR}, {@code IP::CTR}, each with an
     * optional {@code /tcp|/udp|/sctp}. A missing host port is 0: the caller picks a free one.
     */
    public static PortSpec parse(String value) {
        String spec = value;
        String protocol = "tcp";
        int slash = spec.lastIndexOf('/');
        if (slash >= 0) {
            protocol = spec.substring(slash + 1).toLowerCase(Locale.ROOT);
            spec = spec.substring(0, slash);
            if (!List.of("tcp", "udp", "sctp").contains(protocol)) {
                throw new CliException("invalid port " + value + ": protocol must be tcp, udp or sctp");
            }
        }
        String hostIp = "";
        String host = "";
        String container;
        int lastColon = spec.lastIndexOf(':');
        if (lastColon < 0) {
            container = spec;
        } else {
            container = spec.substring(lastColon + 1);
            String front = spec.substring(0, lastColon);
            int colon = front.lastIndexOf(':');
            if (colon < 0) {
                host = front;
            } else {
                hostIp = front.substring(0, colon).replaceAll("^\\[|]$", "");
                host = front.substring(colon + 1);
            }
        }
        return new PortSpec(hostIp, host.isEmpty() ? 0 : port(host, value), port(container, value), protocol);
    }

    private static int port(String text, String value) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new CliException("invalid port " + value + ": ports are numbers from 1 to 65535");
    }

    public PortSpec withHostPort(int port) {
        return new PortSpec(hostIp, port, containerPort, protocol);
    }

    public PortMapping toCri() {
        return PortMapping.newBuilder()
                .setProtocol(
                        switch (protocol) {
                            case "udp" -> Protocol.UDP;
                            case "sctp" -> Protocol.SCTP;
                            default -> Protocol.TCP;
                        })
                .setContainerPort(containerPort)
                .setHostPort(hostPort)
                .setHostIp(hostIp)
                .build();
    }

    /** Whether both claim the same host port: the same protocol and port on overlapping addresses. */
    public boolean clashesWith(PortSpec other) {
        return hostPort == other.hostPort
                && protocol.equals(other.protocol)
                && (hostIp.isEmpty() || other.hostIp.isEmpty() || hostIp.equals(other.hostIp));
    }

    /** As docker's PORTS column: {@code 0.0.0.0:8080->80/tcp}. */
    public String display() {
        return (hostIp.isEmpty() ? "0.0.0.0" : hostIp) + ":" + hostPort + "->" + containerPort + "/" + protocol;
    }

    /** The annotation form, {@code IP|HOST|CTR|PROTO}, which the parser below reads back. */
    String annotation() {
        return hostIp + "|" + hostPort + "|" + containerPort + "|" + protocol;
    }

    public static String toAnnotation(List<PortSpec> ports) {
        return String.join(",", ports.stream().map(PortSpec::annotation).toList());
    }

    static List<PortSpec> parseAnnotation(String text) {
        if (text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.split(","))
                .map(item -> item.split("\\|", -1))
                .filter(parts -> parts.length == 4)
                .map(parts -> new PortSpec(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), parts[3]))
                .toList();
    }
}
