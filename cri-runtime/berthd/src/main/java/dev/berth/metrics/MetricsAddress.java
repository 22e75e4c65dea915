package dev.berth.metrics;

/**
 * {@code host:port} of the metrics endpoint: an IPv4 address or a name, or an IPv6 address in brackets
 * ({@code [::1]:1338}); an empty host ({@code :1338}) is every IPv4 interface. Port 0 picks a free one (tests).
 */
public record MetricsAddress(String host, int port) {

    public static MetricsAddress parse(String key, String address) {
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(key + " must be host:port, not " + address);
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException(
                    key + " must put an IPv6 address in brackets ([::1]:1338), not " + address);
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " has no port number: " + address);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(key + " port must be 0-65535, not " + port);
        }
        return new MetricsAddress(host.isEmpty() ? "0.0.0.0" : host, port);
    }

    MetricsAddress withPort(int bound) {
        return new MetricsAddress(host, bound);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
