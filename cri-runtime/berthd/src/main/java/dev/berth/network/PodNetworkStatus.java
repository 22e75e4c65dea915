package dev.berth.network;

import java.util.List;

/**
 * A pod's addresses as CNI assigned them.
 *
 * @param ip the primary address without prefix length (IPv4 first, as kubelet expects), e.g. "10.88.0.5"
 * @param additionalIps further addresses of the pod interface, e.g. its IPv6 one on a dual-stack network
 */
public record PodNetworkStatus(String interfaceName, String ip, List<String> additionalIps) {

    public PodNetworkStatus {
        additionalIps = List.copyOf(additionalIps);
    }
}
