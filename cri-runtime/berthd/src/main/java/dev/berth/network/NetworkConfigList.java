package dev.berth.network;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One CNI network: a conflist, or a single-plugin .conf lifted into one as libcni does.
 *
 * @param plugins each plugin's own config object, in ADD order, as written in the file
 * @param source the file it came from, or "embedded default" for berthd's own
 */
public record NetworkConfigList(String name, String cniVersion, List<ObjectNode> plugins, String source) {

    public NetworkConfigList {
        plugins = List.copyOf(plugins);
    }

    public List<String> pluginTypes() {
        return plugins.stream().map(p -> p.path("type").asText()).toList();
    }
}
