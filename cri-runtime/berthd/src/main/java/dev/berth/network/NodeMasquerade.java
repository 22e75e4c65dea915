package dev.berth.network;

import dev.berth.process.CommandRunner;
import dev.berth.process.CommandRunner.Command;
import dev.berth.process.CommandRunner.CommandResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the node needs once, not per pod, so pods of the default network reach beyond it: IPv4 forwarding on,
 * and one MASQUERADE rule for the subnet's traffic leaving through any other interface than the bridge (Docker's
 * rule for docker0). The CNI bridge plugin's {@code ipMasq} instead makes a chain per pod, two iptables runs for
 * each ADD and DEL. The rule outlives berthd, like the bridge: it is node state, and costs nothing while idle.
 */
final class NodeMasquerade {

    private static final Logger log = LoggerFactory.getLogger(NodeMasquerade.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Path IP_FORWARD = Path.of("/proc/sys/net/ipv4/ip_forward");

    private final CommandRunner runner;
    private final Path iptables;
    /** bridge and subnet pairs whose rule this berthd has seen in place */
    private final Set<String> installed = new HashSet<>();

    NodeMasquerade(CommandRunner runner, Path iptables) {
        this.runner = runner;
        this.iptables = iptables;
    }

    /** The rule's iptables arguments after {@code -A}/{@code -C}/{@code -D}; its comment names berthd's bridge. */
    static List<String> rule(String bridge, Ipv4Subnet subnet) {
        return List.of(
                "POSTROUTING",
                "-s",
                subnet.cidr(),
                "!",
                "-o",
                bridge,
                "-m",
                "comment",
                "--comment",
                comment(bridge),
                "-j",
                "MASQUERADE");
    }

    static String comment(String bridge) {
        return "berth " + bridge + " pods leaving the node";
    }

    /** Makes sure forwarding is on and the rule is in place; after the first success per subnet, a no-op. */
    synchronized void ensure(String bridge, Ipv4Subnet subnet) throws IOException {
        String key = bridge + " " + subnet.cidr();
        if (installed.contains(key)) {
            return;
        }
        if (!Files.readString(IP_FORWARD, StandardCharsets.US_ASCII).strip().equals("1")) {
            Files.writeString(IP_FORWARD, "1", StandardCharsets.US_ASCII);
        }
        if (iptables("-C", rule(bridge, subnet)).exitCode() != 0) {
            CommandResult added = iptables("-A", rule(bridge, subnet));
            if (added.exitCode() != 0) {
                throw new IOException("iptables could not add the masquerade rule for " + subnet.cidr() + " (exit "
                        + added.exitCode() + "): " + added.stderr().strip());
            }
            log.info("pods of {} on {} are masqueraded when they leave the node", subnet.cidr(), bridge);
        }
        installed.add(key);
    }

    private CommandResult iptables(String verb, List<String> rule) throws IOException {
        List<String> argv = new ArrayList<>(List.of(iptables.toString(), "-w", "5", "-t", "nat", verb));
        argv.addAll(rule);
        return runner.run(Command.of(TIMEOUT, argv));
    }
}
