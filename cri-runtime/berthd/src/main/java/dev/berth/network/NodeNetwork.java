package dev.berth.network;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.metrics.CallDurations;
import dev.berth.process.Binaries;
import dev.berth.process.CommandRunner;
import dev.berth.store.Json;
import dev.berth.sys.NamespaceCalls;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * berthd's pod network: a network of the CNI conf dir through its plugins when one is configured; otherwise the
 * default network, wired in-process over netlink ({@link DefaultNetworkForm#NETLINK}) or through the embedded
 * conflist's plugins ({@link DefaultNetworkForm#CNI}, and always on a dual-stack node, which the netlink form
 * does not serve). Teardown follows whichever form attached the pod, as its cached result says.
 */
public final class NodeNetwork implements PodNetwork {

    private static final Logger log = LoggerFactory.getLogger(NodeNetwork.class);
    /** The embedded conflist's network name: host-local's allocation dir and portmap's chains are named by it. */
    static final String DEFAULT_NETWORK_NAME = "berth";

    private final CniSettings settings;
    private final DefaultNetworkForm form;
    private final CniNetwork cni;
    private final NetlinkBridgeNetwork netlink;
    private final AddressPool pool;
    private final ResultCache cache;

    public NodeNetwork(
            CniSettings settings,
            DefaultNetworkForm form,
            CommandRunner runner,
            NamespaceCalls namespaces,
            CallDurations durations) {
        ObjectMapper mapper = new Json().mapper();
        this.settings = settings;
        this.form = form;
        this.cni = new CniNetwork(settings, runner, PodLoopback.overNetlink(namespaces), durations);
        this.cache = new ResultCache(settings.resultCacheDir(), mapper);
        this.pool = new AddressPool(settings.ipamDataDir().resolve(DEFAULT_NETWORK_NAME));
        CniPluginRunner plugins =
                new CniPluginRunner(runner, new PluginLocator(settings.pluginDirs()), mapper, durations);
        this.netlink = new NetlinkBridgeNetwork(
                settings.defaultBridge(),
                pool,
                new NodeMasquerade(runner, Binaries.find("iptables")),
                new HostPortPlugin(plugins, new PluginConfigBuilder(mapper), mapper, DEFAULT_NETWORK_NAME),
                cache,
                mapper,
                namespaces);
    }

    @Override
    public PodNetworkStatus setUp(PodNetworkRequest request) throws IOException {
        Optional<Ipv4Subnet> subnet = netlinkSubnet();
        if (subnet.isEmpty()) {
            return cni.setUp(request);
        }
        return netlink.setUp(request, subnet.get());
    }

    @Override
    public void tearDown(PodNetworkRequest request) throws IOException {
        Optional<CachedAttachment> cached = cache.get(request.podId(), CniNetwork.POD_IFNAME);
        boolean attachedByNetlink = cached.isPresent()
                ? NetlinkBridgeNetwork.madeThis(cached.get())
                // no result: ADD was cut short (or never ran); undo what the form in use now would have made
                : netlinkSubnet().isPresent();
        if (attachedByNetlink) {
            netlink.tearDown(request, cached);
        } else {
            cni.tearDown(request);
        }
    }

    @Override
    public Optional<String> notReadyReason() {
        try {
            if (netlinkSubnet().isPresent()) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.of("CNI network config is not usable: " + e.getMessage());
        }
        return cni.notReadyReason();
    }

    @Override
    public void usePodCidr(String text) throws IOException {
        cni.usePodCidr(text);
    }

    /**
     * Releases the default network's addresses held by pods not in {@code knownPodIds}: what a berthd killed
     * between allocating and recording left. Call it at start-up, before pods are set up.
     */
    public void releaseAddressesOfUnknownPods(Set<String> knownPodIds) throws IOException {
        pool.collectGarbage(knownPodIds);
    }

    /** The subnet of the netlink form when new pods attach to it, or empty when they go through CNI plugins. */
    private Optional<Ipv4Subnet> netlinkSubnet() throws IOException {
        if (form != DefaultNetworkForm.NETLINK || cni.usesConfiguredNetwork()) {
            return Optional.empty();
        }
        Optional<PodCidrs> podCidrs = cni.nodePodCidrs();
        if (podCidrs.isEmpty()) {
            return Optional.of(Ipv4Subnet.parse(settings.defaultSubnet()));
        }
        if (podCidrs.get().hasIpv6()) {
            log.debug("node pod CIDR {} is dual-stack: the default network goes through the CNI plugins", podCidrs);
            return Optional.empty();
        }
        return Optional.of(Ipv4Subnet.parse(podCidrs.get().cidrs().getFirst()));
    }
}
