package dev.berth.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.metrics.CallDurations;
import dev.berth.process.CommandRunner;
import dev.berth.store.AtomicFiles;
import dev.berth.store.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attaches pods to the CNI network and detaches them, as containerd and CRI-O do: {@code lo} brought up (by
 * berthd itself, where containerd runs the loopback plugin for it), then ADD through the network's plugin chain
 * with prevResult; DEL in reverse order with the cached ADD result, which works when the namespace is already
 * gone and when ADD never happened.
 */
public final class CniNetwork implements PodNetwork {

    private static final Logger log = LoggerFactory.getLogger(CniNetwork.class);
    static final String POD_IFNAME = "eth0";
    private static final String PORTMAP = "portmap";

    private final NetworkConfigLoader loader;
    private final PluginLocator locator;
    private final CniPluginRunner plugins;
    private final PodLoopback loopback;
    private final PluginConfigBuilder configs;
    private final ResultCache cache;
    private final ObjectMapper mapper;
    private final Path podCidrFile;

    /** @param durations of each plugin call, by plugin type and CNI command */
    public CniNetwork(CniSettings settings, CommandRunner runner, PodLoopback loopback, CallDurations durations) {
        this.mapper = new Json().mapper();
        this.loader = new NetworkConfigLoader(settings, mapper);
        this.locator = new PluginLocator(settings.pluginDirs());
        this.plugins = new CniPluginRunner(runner, locator, mapper, durations);
        this.loopback = loopback;
        this.configs = new PluginConfigBuilder(mapper);
        this.cache = new ResultCache(settings.resultCacheDir(), mapper);
        this.podCidrFile = settings.stateDir().resolve("pod-cidr");
        restorePodCidr();
    }

    /**
     * The node's pod CIDR(s) from kubelet (UpdateRuntimeConfig), comma-separated on dual-stack nodes: pods
     * attached from now on to the embedded default network take their addresses from it, as containerd's CNI
     * config template does. A configured conflist is the cluster's and stays as it is. Kept under the state
     * dir, because kubelet sends it again only when it changes, not when berthd restarts.
     *
     * @throws IllegalArgumentException when it is not a CIDR list
     */
    @Override
    public void usePodCidr(String text) throws IOException {
        PodCidrs cidrs = PodCidrs.parse(text);
        AtomicFiles.write(podCidrFile, String.join(",", cidrs.cidrs()).getBytes(StandardCharsets.UTF_8));
        loader.usePodCidrs(cidrs);
        log.info("default CNI network now allocates pod addresses from node pod CIDR {}", cidrs.cidrs());
    }

    private void restorePodCidr() {
        try {
            if (Files.exists(podCidrFile)) {
                loader.usePodCidrs(PodCidrs.parse(
                        Files.readString(podCidrFile, StandardCharsets.UTF_8).strip()));
            }
        } catch (IOException | IllegalArgumentException e) {
            log.warn("ignoring saved pod CIDR {}: {}", podCidrFile, e.getMessage());
        }
    }

    @Override
    public PodNetworkStatus setUp(PodNetworkRequest request) throws IOException {
        NetworkConfigList network = loader.load();
        requirePlugins(network);
        if (request.netnsPath() == null || !Files.exists(request.netnsPath())) {
            throw new IOException(
                    "network namespace of pod " + request.podId() + " does not exist: " + request.netnsPath());
        }
        JsonNode portMappings = configs.portMappings(request.portMappings());
        String netns = request.netnsPath().toString();
        long start = System.nanoTime();
        try {
            loopback.bringUp(request.netnsPath());
        } catch (IOException e) {
            throw new IOException("bringing up lo of pod " + request.podId() + " failed: " + e.getMessage(), e);
        }
        JsonNode result = null;
        try {
            result = add(network, request, netns, portMappings);
            PodNetworkStatus status = ResultAddresses.status(result, POD_IFNAME);
            cache.put(new CachedAttachment(
                    request.podId(), network.name(), POD_IFNAME, toJson(network), portMappings, result));
            log.debug(
                    "CNI ADD of pod {} to network {} gave {} in {} ms",
                    request.podId(),
                    network.name(),
                    status.ip(),
                    (System.nanoTime() - start) / 1_000_000);
            return status;
        } catch (IOException | RuntimeException e) {
            IOException failure = e instanceof IOException io
                    ? io
                    : new IOException(
                            "CNI ADD of pod " + request.podId() + " to network " + network.name() + " failed: "
                                    + e.getMessage(),
                            e);
            // Undo whatever part of the chain did run (veth, IP, iptables), as containerd does on a failed ADD.
            delEveryPlugin(network, request, netns, portMappings, result, failure);
            log.debug(
                    "CNI ADD of pod {} to network {} failed: {}",
                    request.podId(),
                    network.name(),
                    failure.getMessage());
            throw failure;
        }
    }

    @Override
    public void tearDown(PodNetworkRequest request) throws IOException {
        Optional<CachedAttachment> cached = cache.get(request.podId(), POD_IFNAME);
        NetworkConfigList network;
        if (cached.isPresent()) {
            network = fromJson(cached.get().network());
        } else {
            network = loader.load();
            if (missingPlugins(network).isEmpty()) {
                log.debug("pod {} has no cached CNI result; running DEL anyway, as CNI asks", request.podId());
            } else {
                // Nothing was ever attached with a plugin that does not exist, and no result says otherwise.
                log.warn(
                        "pod {} has no cached CNI result and network {} lacks plugins {}; nothing to detach",
                        request.podId(),
                        network.name(),
                        missingPlugins(network));
                return;
            }
        }
        // A gone namespace is passed as empty CNI_NETNS: plugins then skip the in-namespace work but still
        // release the IP and remove host-side rules.
        String netns = request.netnsPath() != null && Files.exists(request.netnsPath())
                ? request.netnsPath().toString()
                : "";
        JsonNode portMappings = cached.map(CachedAttachment::portMappings)
                .orElseGet(() -> configs.portMappings(request.portMappings()));
        if (netns.isEmpty()
                && cached.isPresent()
                && network.plugins().stream().anyMatch(p -> p.path("ipMasq").asBoolean(false))) {
            log.warn(
                    "pod {}: network namespace {} is already gone, so the bridge plugin cannot find the pod's "
                            + "addresses and leaves its ipMasq rules behind; tear the network down before releasing "
                            + "the namespace",
                    request.podId(),
                    request.netnsPath());
        }
        // ADD leaves portmap out for a pod without mappings (see add): its DEL would find nothing to remove
        boolean portmapAdded = cached.isEmpty() || !cached.get().portMappings().isEmpty();
        long start = System.nanoTime();
        del(
                network,
                request,
                netns,
                portMappings,
                cached.map(CachedAttachment::result).orElse(null),
                portmapAdded);
        cache.remove(request.podId(), POD_IFNAME);
        log.debug(
                "CNI DEL of pod {} from network {} took {} ms{}",
                request.podId(),
                network.name(),
                (System.nanoTime() - start) / 1_000_000,
                netns.isEmpty() ? " (namespace already gone)" : "");
    }

    @Override
    public Optional<String> notReadyReason() {
        NetworkConfigList network;
        try {
            network = loader.load();
        } catch (IOException e) {
            return Optional.of("CNI network config is not usable: " + e.getMessage());
        }
        List<String> missing = missingPlugins(network);
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("CNI network " + network.name() + " (" + network.source() + ") needs plugins " + missing
                + " that are not in " + locator.dirs() + "; install them there (e.g. containernetworking-plugins)");
    }

    /** Whether pods attach to a network of the conf dir rather than the default one. */
    boolean usesConfiguredNetwork() throws IOException {
        return loader.hasConfiguredNetwork();
    }

    /** The node pod CIDRs kubelet sent (kept across restarts), or empty. */
    Optional<PodCidrs> nodePodCidrs() {
        return loader.podCidrs();
    }

    /** The network pods attach to now; unchecked failure when the conf dir holds only unusable networks. */
    public String networkName() {
        try {
            return loader.load().name();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode add(NetworkConfigList network, PodNetworkRequest request, String netns, JsonNode portMappings)
            throws IOException {
        CniInvocation call = new CniInvocation(request.podId(), netns, POD_IFNAME, CniInvocation.podArgs(request));
        boolean chained = PluginConfigBuilder.atLeast(network.cniVersion(), 0, 3);
        JsonNode result = null;
        for (ObjectNode plugin : network.plugins()) {
            if (portMappings.isEmpty() && PORTMAP.equals(plugin.path("type").asText())) {
                // with no mappings portmap's ADD only hands prevResult on; its process is ~10 ms of a pod start
                continue;
            }
            byte[] stdin = configs.build(
                    network, plugin, Map.of(PluginConfigBuilder.PORT_MAPPINGS, portMappings), chained ? result : null);
            Optional<JsonNode> output = plugins.run("ADD", plugin.path("type").asText(), call, stdin);
            if (output.isPresent()) {
                result = output.get();
            }
        }
        if (result == null) {
            throw new IOException("CNI network " + network.name() + " returned no result for pod " + request.podId());
        }
        return result;
    }

    private void del(
            NetworkConfigList network,
            PodNetworkRequest request,
            String netns,
            JsonNode portMappings,
            JsonNode cachedResult,
            boolean portmapAdded)
            throws IOException {
        CniInvocation call = new CniInvocation(request.podId(), netns, POD_IFNAME, CniInvocation.podArgs(request));
        JsonNode prevResult = PluginConfigBuilder.atLeast(network.cniVersion(), 0, 4) ? cachedResult : null;
        List<ObjectNode> reversed = new ArrayList<>(network.plugins()).reversed();
        for (ObjectNode plugin : reversed) {
            if (!portmapAdded && PORTMAP.equals(plugin.path("type").asText())) {
                continue;
            }
            byte[] stdin =
                    configs.build(network, plugin, Map.of(PluginConfigBuilder.PORT_MAPPINGS, portMappings), prevResult);
            plugins.run("DEL", plugin.path("type").asText(), call, stdin);
        }
    }

    /** Rollback after a failed ADD: every plugin gets its DEL even when an earlier one fails. */
    private void delEveryPlugin(
            NetworkConfigList network,
            PodNetworkRequest request,
            String netns,
            JsonNode portMappings,
            JsonNode partialResult,
            IOException failure) {
        CniInvocation call = new CniInvocation(request.podId(), netns, POD_IFNAME, CniInvocation.podArgs(request));
        JsonNode prevResult = PluginConfigBuilder.atLeast(network.cniVersion(), 0, 4) ? partialResult : null;
        for (ObjectNode plugin : new ArrayList<>(network.plugins()).reversed()) {
            try {
                byte[] stdin = configs.build(
                        network, plugin, Map.of(PluginConfigBuilder.PORT_MAPPINGS, portMappings), prevResult);
                plugins.run("DEL", plugin.path("type").asText(), call, stdin);
            } catch (IOException | RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
    }

    private void requirePlugins(NetworkConfigList network) throws IOException {
        List<String> missing = missingPlugins(network);
        if (!missing.isEmpty()) {
            throw new PluginNotFoundException(missing.getFirst(), locator.dirs());
        }
    }

    private List<String> missingPlugins(NetworkConfigList network) {
        Set<String> needed = new LinkedHashSet<>(network.pluginTypes());
        // IPAM plugins are exec'd by their main plugin through CNI_PATH, so they must be there too.
        for (ObjectNode plugin : network.plugins()) {
            String ipam = plugin.path("ipam").path("type").asText("");
            if (!ipam.isEmpty()) {
                needed.add(ipam);
            }
        }
        return needed.stream().filter(type -> locator.find(type).isEmpty()).toList();
    }

    private JsonNode toJson(NetworkConfigList network) {
        ObjectNode node = mapper.createObjectNode();
        node.put("cniVersion", network.cniVersion());
        node.put("name", network.name());
        node.putArray("plugins").addAll(network.plugins());
        node.put("source", network.source());
        return node;
    }

    private static NetworkConfigList fromJson(JsonNode node) {
        List<ObjectNode> plugins = new ArrayList<>();
        node.path("plugins").forEach(p -> plugins.add((ObjectNode) p));
        return new NetworkConfigList(
                node.path("name").asText(),
                node.path("cniVersion").asText(),
                plugins,
                node.path("source").asText());
    }
}
