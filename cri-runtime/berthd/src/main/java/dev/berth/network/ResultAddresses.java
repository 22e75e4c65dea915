package dev.berth.network;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Reads the pod's addresses out of a CNI ADD result (spec 0.3.0 and later; 0.1/0.2's ip4/ip6 too). */
final class ResultAddresses {

    private ResultAddresses() {}

    /** @throws IllegalArgumentException when the result holds no address for the pod */
    static PodNetworkStatus status(JsonNode result, String ifName) {
        List<String> addresses = new ArrayList<>();
        JsonNode ips = result.path("ips");
        if (ips.isArray()) {
            JsonNode interfaces = result.path("interfaces");
            for (JsonNode ip : ips) {
                if (belongsToPod(ip, interfaces, ifName)) {
                    addresses.add(withoutPrefix(ip.path("address").asText("")));
                }
            }
        } else {
            addresses.add(withoutPrefix(result.path("ip4").path("ip").asText("")));
            addresses.add(withoutPrefix(result.path("ip6").path("ip").asText("")));
        }
        addresses.removeIf(String::isEmpty);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("the CNI result assigns no IP address to " + ifName + ": " + result);
        }
        // kubelet takes the first as the pod IP; containerd puts IPv4 first on dual-stack networks.
        List<String> ordered =
                new ArrayList<>(addresses.stream().filter(a -> !a.contains(":")).toList());
        ordered.addAll(addresses.stream().filter(a -> a.contains(":")).toList());
        return new PodNetworkStatus(ifName, ordered.getFirst(), ordered.subList(1, ordered.size()));
    }

    /** An IP without an interface index is the pod's; with one, it must name the pod's interface in the sandbox. */
    private static boolean belongsToPod(JsonNode ip, JsonNode interfaces, String ifName) {
        if (!ip.has("interface") || !interfaces.isArray()) {
            return true;
        }
        JsonNode iface = interfaces.path(ip.path("interface").asInt(-1));
        return iface.isMissingNode()
                || (ifName.equals(iface.path("name").asText())
                        && !iface.path("sandbox").asText("").isEmpty());
    }

    private static String withoutPrefix(String cidr) {
        int slash = cidr.indexOf('/');
        return slash < 0 ? cidr : cidr.substring(0, slash);
    }
}
