package dev.berth.testing;

import dev.berth.daemon.BerthConfig;
import dev.berth.testkit.network.TestBridge;
import dev.berth.testkit.registry.Processes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A test daemon's own default network: a bridge and a /24 no other daemon uses, and an empty CNI conf
 * dir so a node's real conflist is never picked up. The bridge plugin never deletes its bridge, so
 * {@link #deleteBridge} does.
 */
public record PodNetworkFixture(String bridge, String subnet, Path confDir) {

    /**
     * A subnet no iptables rule mentions yet, so a leak check never blames this daemon for what an earlier,
     * failed run left on the machine.
     */
    public static PodNetworkFixture random(Path base) {
        String rules;
        try {
            rules = Processes.run(List.of("iptables-save"), 30);
        } catch (IOException e) {
            rules = "";
        }
        String suffix = Integer.toString(ThreadLocalRandom.current().nextInt(100_000, 999_999));
        for (int attempt = 0; ; attempt++) {
            int octet = ThreadLocalRandom.current().nextInt(1, 250);
            if (!rules.contains("10.233." + octet + ".") || attempt > 500) {
                return new PodNetworkFixture("bt" + suffix, "10.233." + octet + ".0/24", base.resolve("cni-conf"));
            }
        }
    }

    /** The first three octets, as they appear in iptables rules and addresses of this network. */
    public String prefix() {
        return subnet.substring(0, subnet.lastIndexOf('.') + 1);
    }

    public BerthConfig.Network config() {
        return new BerthConfig.Network(confDir.toString(), null, bridge, subnet, null);
    }

    /** berthd's once-per-node masquerade rule for this network (netlink default form), which outlives pods. */
    public boolean isNodeMasqueradeRule(String iptablesSaveLine) {
        return new TestBridge(bridge).isNodeMasqueradeRule(iptablesSaveLine);
    }

    /** Deletes the bridge and the node masquerade rule berthd keeps for it. */
    public void deleteBridge() throws IOException {
        new TestBridge(bridge).delete();
    }
}
