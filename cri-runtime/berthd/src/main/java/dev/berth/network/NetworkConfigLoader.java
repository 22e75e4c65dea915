package dev.berth.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the pod network: the first valid *.conflist in the conf dir (lexically), else the first *.conf or
 * *.json, else berthd's embedded default. Read on every call, so a network installed later (a CNI
 * DaemonSet writing its conflist) is picked up without a restart, as kubelet's NetworkReady expects.
 */
final class NetworkConfigLoader {

    private static final Logger log = LoggerFactory.getLogger(NetworkConfigLoader.class);
    private static final String DEFAULT_RESOURCE = "default.conflist";

    private final CniSettings settings;
    private final ObjectMapper mapper;
    /** kubelet's node pod CIDRs (UpdateRuntimeConfig); null until it sent them, then the default network's subnets */
    private volatile PodCidrs podCidrs;

    NetworkConfigLoader(CniSettings settings, ObjectMapper mapper) {
        this.settings = settings;
        this.mapper = mapper;
    }

    void usePodCidrs(PodCidrs cidrs) {
        this.podCidrs = cidrs;
    }

    /** kubelet's node pod CIDRs, or empty until it sent them. */
    Optional<PodCidrs> podCidrs() {
        return Optional.ofNullable(podCidrs);
    }

    /** Whether the conf dir holds a network file, so the cluster's network and not the default one is used. */
    boolean hasConfiguredNetwork() throws IOException {
        return !candidates().isEmpty();
    }

    /** @throws InvalidNetworkConfigException when the dir has network files but none is usable */
    NetworkConfigList load() throws IOException {
        List<Path> candidates = candidates();
        if (candidates.isEmpty()) {
            return embeddedDefault();
        }
        List<String> problems = new ArrayList<>();
        for (Path file : candidates) {
            try {
                return parse(file);
            } catch (IOException | IllegalArgumentException e) {
                log.warn("skipping CNI config {}: {}", file, e.getMessage());
                problems.add(file + ": " + e.getMessage());
            }
        }
        throw new InvalidNetworkConfigException(
                "no usable CNI network config in " + settings.confDir() + ": " + String.join("; ", problems));
    }

    /** Every network file of the conf dir, in the order {@link #load} tries them, each parsed or with its problem. */
    List<Parsed> parseAll() throws IOException {
        List<Parsed> all = new ArrayList<>();
        for (Path file : candidates()) {
            try {
                all.add(new Parsed(file, parse(file), null));
            } catch (IOException | IllegalArgumentException e) {
                all.add(new Parsed(file, null, e.getMessage()));
            }
        }
        return all;
    }

    record Parsed(Path file, NetworkConfigList list, String problem) {}

    private List<Path> candidates() throws IOException {
        List<Path> lists = new ArrayList<>();
        List<Path> singles = new ArrayList<>();
        try (Stream<Path> files = Files.list(settings.confDir())) {
            files.filter(Files::isRegularFile).sorted().forEach(file -> {
                String name = file.getFileName().toString();
                if (name.endsWith(".conflist")) {
                    lists.add(file);
                } else if (name.endsWith(".conf") || name.endsWith(".json")) {
                    singles.add(file);
                }
            });
        } catch (NoSuchFileException e) {
            return List.of();
        }
        lists.addAll(singles);
        return lists;
    }

    private NetworkConfigList parse(Path file) throws IOException {
        JsonNode root = mapper.readTree(Files.readAllBytes(file));
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        ObjectNode object = (ObjectNode) root;
        if (file.getFileName().toString().endsWith(".conflist")) {
            return fromList(object, file.toString());
        }
        if (object.has("plugins")) {
            throw new IllegalArgumentException("a network list belongs in a .conflist file");
        }
        // libcni's ConfListFromConf: the single plugin becomes a one-plugin list of the same name/version.
        ObjectNode list = JsonNodeFactory.instance.objectNode();
        list.set("cniVersion", object.get("cniVersion"));
        list.set("name", object.get("name"));
        list.putArray("plugins").add(object.deepCopy());
        return fromList(list, file.toString());
    }

    private static NetworkConfigList fromList(ObjectNode list, String source) {
        String name = list.path("name").asText("");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("network has no \"name\"");
        }
        String version = list.path("cniVersion").asText("");
        if (version.isEmpty()) {
            throw new IllegalArgumentException("network " + name + " has no \"cniVersion\"");
        }
        JsonNode plugins = list.get("plugins");
        if (!(plugins instanceof ArrayNode array) || array.isEmpty()) {
            throw new IllegalArgumentException("network " + name + " has no \"plugins\"");
        }
        List<ObjectNode> result = new ArrayList<>();
        for (JsonNode plugin : array) {
            if (!plugin.isObject() || plugin.path("type").asText("").isEmpty()) {
                throw new IllegalArgumentException("network " + name + " has a plugin without \"type\"");
            }
            result.add((ObjectNode) plugin);
        }
        return new NetworkConfigList(name, version, result, source);
    }

    /** The built-in bridge network, with the configured bridge, subnet and berthd's own IPAM data dir. */
    private NetworkConfigList embeddedDefault() throws IOException {
        ObjectNode list;
        try (InputStream in = NetworkConfigLoader.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IOException("embedded default CNI config " + DEFAULT_RESOURCE + " is missing from the jar");
            }
            list = (ObjectNode) mapper.readTree(in);
        }
        ObjectNode bridge = (ObjectNode) list.get("plugins").get(0);
        bridge.put("bridge", settings.defaultBridge());
        ObjectNode ipam = (ObjectNode) bridge.get("ipam");
        ipam.put("dataDir", settings.ipamDataDir().toString());
        PodCidrs cidrs = podCidrs;
        if (cidrs == null) {
            ((ObjectNode) ipam.get("ranges").get(0).get(0)).put("subnet", settings.defaultSubnet());
        } else {
            // one range set per address family, as containerd's CNI template writes the node's pod CIDRs
            ArrayNode ranges = ipam.putArray("ranges");
            cidrs.cidrs().forEach(cidr -> ranges.addArray().addObject().put("subnet", cidr));
            ArrayNode routes = ipam.putArray("routes");
            if (cidrs.hasIpv4()) {
                routes.addObject().put("dst", "0.0.0.0/0");
            }
            if (cidrs.hasIpv6()) {
                routes.addObject().put("dst", "::/0");
            }
        }
        return fromList(list, cidrs == null ? "embedded default" : "embedded default, node pod CIDR " + cidrs.cidrs());
    }
}
