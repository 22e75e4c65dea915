package dev.berth.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Builds one plugin's stdin from its list, as libcni's buildOneConfig does: the list's name and
 * cniVersion, the runtimeConfig entries for exactly the capabilities the plugin declares, and prevResult.
 */
final class PluginConfigBuilder {

    static final String PORT_MAPPINGS = "portMappings";

    private final ObjectMapper mapper;

    PluginConfigBuilder(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** @param capabilityArgs capability name to its runtimeConfig value, e.g. portMappings to a JSON array */
    byte[] build(NetworkConfigList list, ObjectNode plugin, Map<String, JsonNode> capabilityArgs, JsonNode prevResult) {
        ObjectNode config = plugin.deepCopy();
        config.put("name", list.name());
        config.put("cniVersion", list.cniVersion());
        ObjectNode runtimeConfig = mapper.createObjectNode();
        JsonNode capabilities = plugin.path("capabilities");
        for (Iterator<Map.Entry<String, JsonNode>> it = capabilities.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> capability = it.next();
            JsonNode value = capabilityArgs.get(capability.getKey());
            if (capability.getValue().asBoolean(false) && value != null) {
                runtimeConfig.set(capability.getKey(), value);
            }
        }
        if (!runtimeConfig.isEmpty()) {
            config.set("runtimeConfig", runtimeConfig);
        }
        if (prevResult != null) {
            config.set("prevResult", prevResult);
        }
        try {
            return mapper.writeValueAsBytes(config);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /** CNI's portMappings entries; mappings without a host port are not published, as in containerd. */
    JsonNode portMappings(List<PortMapping> mappings) {
        var array = mapper.createArrayNode();
        for (PortMapping mapping : mappings) {
            if (mapping.hostPort() <= 0) {
                continue;
            }
            ObjectNode entry = array.addObject();
            entry.put("hostPort", mapping.hostPort());
            entry.put("containerPort", mapping.containerPort());
            entry.put("protocol", mapping.protocol());
            if (!mapping.hostIp().isEmpty()) {
                entry.put("hostIP", mapping.hostIp());
            }
        }
        return array;
    }

    /** Chaining with prevResult began with spec 0.3.0; DEL receives the cached result from 0.4.0 on. */
    static boolean atLeast(String version, int major, int minor) {
        String[] parts = version.split("\\.");
        try {
            int actualMajor = Integer.parseInt(parts[0]);
            int actualMinor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return actualMajor > major || (actualMajor == major && actualMinor >= minor);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
