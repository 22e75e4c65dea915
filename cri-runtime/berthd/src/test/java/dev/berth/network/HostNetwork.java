package dev.berth.network;

import dev.berth.testkit.registry.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The host's network state a test creates and must remove again: netns, links, iptables chains, sysctls. */
final class HostNetwork {

    /** portmap's chains shared by every pod of every network; DEL leaves them, as it must. */
    static final Set<String> SHARED_PORTMAP_CHAINS =
            Set.of("CNI-HOSTPORT-DNAT", "CNI-HOSTPORT-SETMARK", "CNI-HOSTPORT-MASQ");

    private HostNetwork() {}

    static String run(String... argv) throws IOException {
        return Processes.run(List.of(argv), 20);
    }

    static Path addNetns(String name) throws IOException {
        run("ip", "netns", "add", name);
        return Path.of("/run/netns", name);
    }

    static void deleteNetns(String name) throws IOException {
        if (Files.exists(Path.of("/run/netns", name))) {
            run("ip", "netns", "delete", name);
        }
    }

    static void deleteLink(String name) throws IOException {
        if (Files.exists(Path.of("/sys/class/net", name))) {
            run("ip", "link", "delete", name);
        }
    }

    static String inNetns(Path netns, String... argv) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("nsenter", "--net=" + netns));
        command.addAll(Arrays.asList(argv));
        return Processes.run(command, 20);
    }

    /** Both tables portmap and bridge touch, rule counters stripped so two dumps compare. */
    static List<String> iptablesRules() throws IOException {
        return List.of("nat", "filter").stream()
                .flatMap(table -> {
                    try {
                        return run("iptables-save", "-t", table).lines();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })
                .filter(l -> !l.startsWith("#"))
                .map(l -> l.replaceAll("\\[\\d+:\\d+\\]", ""))
                .toList();
    }

    static Set<String> chains(List<String> rules) {
        return rules.stream()
                .filter(l -> l.startsWith(":"))
                .map(l -> l.substring(1).split(" ")[0])
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Deletes every nat rule that names the pod, and the per-pod chains they jump to (leaks of a failed test). */
    static void removeRulesOf(String podId) throws IOException {
        List<String> podRules = iptablesRules().stream()
                .filter(l -> l.startsWith("-A ") && l.contains("id: \\\"" + podId + "\\\""))
                .toList();
        Set<String> podChains = new TreeSet<>();
        for (String rule : podRules) {
            List<String> words = shellWords(rule);
            int jump = words.indexOf("-j");
            if (jump >= 0
                    && words.get(jump + 1).startsWith("CNI-")
                    && !words.get(jump + 1).startsWith("CNI-HOSTPORT")) {
                podChains.add(words.get(jump + 1));
            }
        }
        for (String rule : podRules) {
            String chain = rule.split(" ")[1];
            if (!podChains.contains(chain)) {
                List<String> argv = new java.util.ArrayList<>(List.of("iptables", "-t", "nat", "-D"));
                argv.addAll(shellWords(rule.substring(3)));
                Processes.run(argv, 20);
            }
        }
        for (String chain : podChains) {
            run("iptables", "-t", "nat", "-F", chain);
            run("iptables", "-t", "nat", "-X", chain);
        }
    }

    /** Removes portmap's shared chains if the test created them, jumps first. */
    static void removeSharedPortmapChains(Set<String> chainsBefore) throws IOException {
        List<String> rules = iptablesRules();
        for (String chain : SHARED_PORTMAP_CHAINS) {
            if (chainsBefore.contains(chain) || !chains(rules).contains(chain)) {
                continue;
            }
            for (String rule : rules) {
                if (rule.startsWith("-A ") && rule.contains("-j " + chain) && !rule.startsWith("-A CNI-HOSTPORT")) {
                    List<String> argv = new java.util.ArrayList<>(List.of("iptables", "-t", "nat", "-D"));
                    argv.addAll(shellWords(rule.substring(3)));
                    Processes.run(argv, 20);
                }
            }
        }
        for (String chain : SHARED_PORTMAP_CHAINS) {
            if (!chainsBefore.contains(chain) && chains(iptablesRules()).contains(chain)) {
                run("iptables", "-t", "nat", "-F", chain);
            }
        }
        for (String chain : SHARED_PORTMAP_CHAINS) {
            if (!chainsBefore.contains(chain) && chains(iptablesRules()).contains(chain)) {
                run("iptables", "-t", "nat", "-X", chain);
            }
        }
    }

    /** Splits an iptables-save rule into argv, honouring its double-quoted comments. */
    static List<String> shellWords(String rule) {
        List<String> words = new java.util.ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean inWord = false;
        for (int i = 0; i < rule.length(); i++) {
            char c = rule.charAt(i);
            if (c == '\\' && quoted && i + 1 < rule.length()) {
                word.append(rule.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
                inWord = true;
            } else if (c == ' ' && !quoted) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    static String sysctl(String key) throws IOException {
        return Files.readString(Path.of("/proc/sys", key.replace('.', '/'))).strip();
    }
}
