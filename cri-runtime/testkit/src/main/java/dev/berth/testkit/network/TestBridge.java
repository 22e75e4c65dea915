package dev.berth.testkit.network;

import dev.berth.testkit.registry.Processes;
import java.io.IOException;
import java.util.List;

/**
 * A bridge a test let berthd's default network make: berthd keeps one masquerade rule per node and bridge, which
 * outlives pods by design, so the test that owns the bridge removes both.
 */
public record TestBridge(String name) {

    /** Whether an {@code iptables-save} line is berthd's once-per-node masquerade rule for this bridge. */
    public boolean isNodeMasqueradeRule(String iptablesSaveLine) {
        return iptablesSaveLine.contains(masqueradeComment());
    }

    /** Deletes the masquerade rule berthd keeps for this bridge, then the bridge. */
    public void delete() throws IOException {
        for (String line :
                Processes.run(List.of("iptables-save", "-t", "nat"), 30).lines().toList()) {
            if (line.startsWith("-A POSTROUTING") && isNodeMasqueradeRule(line)) {
                List<String> words = List.of(line.split(" "));
                String source = words.get(words.indexOf("-s") + 1);
                Processes.run(
                        List.of(
                                "iptables",
                                "-w",
                                "5",
                                "-t",
                                "nat",
                                "-D",
                                "POSTROUTING",
                                "-s",
                                source,
                                "!",
                                "-o",
                                name,
                                "-m",
                                "comment",
                                "--comment",
                                masqueradeComment(),
                                "-j",
                                "MASQUERADE"),
                        30);
            }
        }
        String links = Processes.run(List.of("ip", "-o", "link", "show"), 10);
        if (links.contains(" " + name + ":")) {
            Processes.run(List.of("ip", "link", "del", name), 10);
        }
    }

    private String masqueradeComment() {
        return "berth " + name + " pods leaving the node";
    }
}
