package dev.berth.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The portmap plugin alone, for a pod of the netlink default network that has host ports: it gets the in-process
 * setup's result as prevResult, exactly as it would after the bridge plugin in the embedded conflist, and the
 * network's name "berth", so its iptables chains are the ones the CNI form of the default makes.
 */
final class HostPortPlugin {

    static final String TYPE = "portmap";

    private final CniPluginRunner plugins;
    private final PluginConfigBuilder configs;
    private final NetworkConfigList network;

    HostPortPlugin(CniPluginRunner plugins, PluginConfigBuilder configs, ObjectMapper mapper, String networkName) {
        this.plugins = plugins;
        this.configs = configs;
        var plugin = mapper.createObjectNode().put("type", TYPE);
        plugin.putObject("capabilities").put(PluginConfigBuilder.PORT_MAPPINGS, true);
        this.network = new NetworkConfigList(networkName, "1.0.0", List.of(plugin), "netlink default network");
    }

    NetworkConfigList network() {
        return network;
    }

    void add(PodNetworkRequest request, String netns, JsonNode portMappings, JsonNode result) throws IOException {
        run("ADD", request, netns, portMappings, result);
    }

    /** {@code netns} may be empty (the namespace is gone): portmap's rules live in the host's namespace. */
    void delete(PodNetworkRequest request, String netns, JsonNode portMappings, JsonNode result) throws IOException {
        run("DEL", request, netns, portMappings, result);
    }

    private void run(String command, PodNetworkRequest request, String netns, JsonNode portMappings, JsonNode result)
            throws IOException {
        CniInvocation call =
                new CniInvocation(request.podId(), netns, CniNetwork.POD_IFNAME, CniInvocation.podArgs(request));
        byte[] stdin = configs.build(
                network, network.plugins().getFirst(), Map.of(PluginConfigBuilder.PORT_MAPPINGS, portMappings), result);
        plugins.run(command, TYPE, call, stdin);
    }
}
