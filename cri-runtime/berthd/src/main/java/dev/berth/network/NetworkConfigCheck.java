package dev.berth.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code berthd check-config}'s look at CNI: every network file of the conf dir parses, and the network berthd
 * would use (the first that parses, else the embedded default) has its plugins, IPAM included, in the plugin dirs.
 * Problems are {@code key: problem} lines, keyed by the berth.yaml key that leads to them.
 */
public final class NetworkConfigCheck {

    private final CniSettings settings;

    public NetworkConfigCheck(CniSettings settings) {
        this.settings = settings;
    }

    public List<String> problems() {
        NetworkConfigLoader loader = new NetworkConfigLoader(settings, new ObjectMapper());
        List<String> problems = new ArrayList<>();
        NetworkConfigList chosen = null;
        try {
            for (NetworkConfigLoader.Parsed parsed : loader.parseAll()) {
                if (parsed.problem() != null) {
                    problems.add("network.confDir: " + parsed.file() + ": " + parsed.problem());
                } else if (chosen == null) {
                    chosen = parsed.list();
                }
            }
            if (chosen == null && problems.isEmpty()) {
                chosen = loader.load();
            }
        } catch (IOException e) {
            problems.add("network.confDir: " + settings.confDir() + ": " + e.getMessage());
        }
        if (chosen != null) {
            PluginLocator locator = new PluginLocator(settings.pluginDirs());
            for (ObjectNode plugin : chosen.plugins()) {
                missing(locator, chosen, plugin.path("type").asText(), problems);
                JsonNode ipam = plugin.path("ipam").path("type");
                if (ipam.isTextual() && !ipam.asText().isEmpty()) {
                    missing(locator, chosen, ipam.asText(), problems);
                }
            }
        }
        return problems;
    }

    private void missing(PluginLocator locator, NetworkConfigList network, String type, List<String> problems) {
        if (locator.find(type).isEmpty()) {
            problems.add("network.pluginDirs: plugin " + type + " of network " + network.name() + " ("
                    + network.source() + ") is in none of " + settings.pluginDirs());
        }
    }
}
