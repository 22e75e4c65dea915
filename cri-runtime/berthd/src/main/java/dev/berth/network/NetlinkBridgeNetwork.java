package dev.berth.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.sys.Errno;
import dev.berth.sys.NamespaceCalls;
import dev.berth.sys.RouteNetlink;
import dev.berth.sys.SyscallException;
import java.io.IOException;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default network wired by berthd itself over netlink, with what the embedded conflist's bridge plugin
 * would make: a veth pair whose pod end is created as {@code eth0} directly inside the pod's netns, its host end
 * on the bridge (hairpin on), the bridge holding the gateway address, the pod's address and default route, and
 * {@code lo} up. Addresses come from {@link AddressPool}; host ports alone still go through the portmap plugin.
 * The result is cached like a CNI result, so teardown, PodSandboxStatus and a restarted berthd read it the same.
 */
final class NetlinkBridgeNetwork {

    private static final Logger log = LoggerFactory.getLogger(NetlinkBridgeNetwork.class);
    static final String SOURCE = "netlink";
    private static final String HOST_INTERFACE = "hostInterface";

    private final String bridge;
    private final AddressPool pool;
    private final NodeMasquerade masquerade;
    private final HostPortPlugin hostPorts;
    private final ResultCache cache;
    private final ObjectMapper mapper;
    private final NamespaceCalls namespaces;

    NetlinkBridgeNetwork(
            String bridge,
            AddressPool pool,
            NodeMasquerade masquerade,
            HostPortPlugin hostPorts,
            ResultCache cache,
            ObjectMapper mapper,
            NamespaceCalls namespaces) {
        this.bridge = bridge;
        this.pool = pool;
        this.masquerade = masquerade;
        this.hostPorts = hostPorts;
        this.cache = cache;
        this.mapper = mapper;
        this.namespaces = namespaces;
    }

    /** The host end's name, derived from the pod ID so a teardown without a cached result still finds it. */
    static String hostInterface(String podId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(podId.getBytes(StandardCharsets.UTF_8));
            return "veth" + HexFormat.of().formatHex(digest).substring(0, 11);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static boolean madeThis(CachedAttachment cached) {
        return SOURCE.equals(cached.network().path("source").asText());
    }

    PodNetworkStatus setUp(PodNetworkRequest request, Ipv4Subnet subnet) throws IOException {
        if (request.netnsPath() == null || !Files.exists(request.netnsPath())) {
            throw new IOException(
                    "network namespace of pod " + request.podId() + " does not exist: " + request.netnsPath());
        }
        long start = System.nanoTime();
        masquerade.ensure(bridge, subnet);
        String hostInterface = hostInterface(request.podId());
        String netns = request.netnsPath().toString();
        JsonNode portMappings = new PluginConfigBuilder(mapper).portMappings(request.portMappings());
        Inet4Address address = pool.allocate(subnet, request.podId(), CniNetwork.POD_IFNAME);
        JsonNode result = result(subnet, address, hostInterface, netns);
        boolean portsAdded = false;
        try {
            try (RouteNetlink host = RouteNetlink.open()) {
                int bridgeIndex = ensureBridge(host, subnet);
                host.createVethPair(hostInterface, bridgeIndex, CniNetwork.POD_IFNAME, request.netnsPath(), 0);
                host.setHairpin(index(host, hostInterface));
            }
            try (RouteNetlink pod = RouteNetlink.openIn(request.netnsPath(), namespaces)) {
                pod.setUp(index(pod, "lo"));
                int eth0 = index(pod, CniNetwork.POD_IFNAME);
                pod.setUp(eth0);
                pod.addAddress(eth0, address, subnet.prefixLength());
                pod.addDefaultRoute(subnet.gateway());
            }
            if (!portMappings.isEmpty()) {
                portsAdded = true;
                hostPorts.add(request, netns, portMappings, result);
            }
            cache.put(new CachedAttachment(
                    request.podId(),
                    hostPorts.network().name(),
                    CniNetwork.POD_IFNAME,
                    networkJson(hostInterface),
                    portMappings,
                    result));
        } catch (IOException | RuntimeException e) {
            IOException failure = e instanceof IOException io
                    ? io
                    : new IOException("setting up the network of pod " + request.podId() + " failed", e);
            undo(request, netns, hostInterface, address, portsAdded ? portMappings : null, result, failure);
            throw failure;
        }
        log.debug(
                "pod {} attached to {} as {} over netlink in {} µs",
                request.podId(),
                bridge,
                address.getHostAddress(),
                (System.nanoTime() - start) / 1000);
        return ResultAddresses.status(result, CniNetwork.POD_IFNAME);
    }

    /**
     * Removes the host end (the kernel removes the pod end with it, or already did with the netns), the host port
     * rules and the address; each step finds its work done on a repeated call. The cached result goes last, so
     * a failed step is retried with everything it needs.
     */
    void tearDown(PodNetworkRequest request, Optional<CachedAttachment> cached) throws IOException {
        String netns = request.netnsPath() != null && Files.exists(request.netnsPath())
                ? request.netnsPath().toString()
                : "";
        JsonNode portMappings = cached.map(CachedAttachment::portMappings)
                .orElseGet(() -> new PluginConfigBuilder(mapper).portMappings(request.portMappings()));
        if (!portMappings.isEmpty()) {
            hostPorts.delete(
                    request,
                    netns,
                    portMappings,
                    cached.map(CachedAttachment::result).orElse(null));
        }
        String hostInterface = cached.map(c -> c.network().path(HOST_INTERFACE).asText(""))
                .filter(name -> !name.isEmpty())
                .orElseGet(() -> hostInterface(request.podId()));
        try (RouteNetlink host = RouteNetlink.open()) {
            host.deleteLink(hostInterface);
        }
        if (cached.isPresent()) {
            String address = ResultAddresses.status(cached.get().result(), CniNetwork.POD_IFNAME)
                    .ip();
            pool.release(address, request.podId());
        } else {
            pool.releaseAll(request.podId());
        }
        cache.remove(request.podId(), CniNetwork.POD_IFNAME);
        log.debug("pod {} detached from {}", request.podId(), bridge);
    }

    /** The bridge, made and given the gateway address if this is the first pod (or someone deleted it). */
    private int ensureBridge(RouteNetlink host, Ipv4Subnet subnet) throws IOException {
        var index = host.linkIndex(bridge);
        if (index.isEmpty()) {
            try {
                host.createBridge(bridge);
                log.info("created bridge {} for the default network {}", bridge, subnet.cidr());
            } catch (SyscallException e) {
                if (e.errno() != Errno.EEXIST) {
                    throw e;
                }
            }
            index = host.linkIndex(bridge);
            if (index.isEmpty()) {
                throw new IOException("bridge " + bridge + " vanished right after it was created");
            }
        }
        try {
            host.addAddress(index.getAsInt(), subnet.gateway(), subnet.prefixLength());
        } catch (SyscallException e) {
            if (e.errno() != Errno.EEXIST) {
                throw e;
            }
        }
        host.setUp(index.getAsInt());
        return index.getAsInt();
    }

    private void undo(
            PodNetworkRequest request,
            String netns,
            String hostInterface,
            Inet4Address address,
            JsonNode addedPorts,
            JsonNode result,
            IOException failure) {
        try {
            if (addedPorts != null) {
                hostPorts.delete(request, netns, addedPorts, result);
            }
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
        try (RouteNetlink host = RouteNetlink.open()) {
            host.deleteLink(hostInterface);
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
        try {
            pool.release(address.getHostAddress(), request.podId());
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static int index(RouteNetlink netlink, String name) throws IOException {
        return netlink.linkIndex(name).orElseThrow(() -> new IOException("link " + name + " does not exist"));
    }

    /** What the bridge plugin would have returned: the portmap plugin and PodSandboxStatus read it. */
    private JsonNode result(Ipv4Subnet subnet, Inet4Address address, String hostInterface, String netns) {
        ObjectNode result = mapper.createObjectNode().put("cniVersion", "1.0.0");
        var interfaces = result.putArray("interfaces");
        interfaces.addObject().put("name", bridge);
        interfaces.addObject().put("name", hostInterface);
        interfaces.addObject().put("name", CniNetwork.POD_IFNAME).put("sandbox", netns);
        result.putArray("ips")
                .addObject()
                .put("address", address.getHostAddress() + "/" + subnet.prefixLength())
                .put("gateway", subnet.gateway().getHostAddress())
                .put("interface", 2);
        result.putArray("routes")
                .addObject()
                .put("dst", "0.0.0.0/0")
                .put("gw", subnet.gateway().getHostAddress());
        result.putObject("dns");
        return result;
    }

    /** The cached "network": portmap's network for DEL, plus what only this form needs to find again. */
    private JsonNode networkJson(String hostInterface) {
        NetworkConfigList network = hostPorts.network();
        ObjectNode node = mapper.createObjectNode();
        node.put("cniVersion", network.cniVersion());
        node.put("name", network.name());
        node.putArray("plugins").addAll(network.plugins());
        node.put("source", SOURCE);
        node.put("bridge", bridge);
        node.put(HOST_INTERFACE, hostInterface);
        return node;
    }
}
