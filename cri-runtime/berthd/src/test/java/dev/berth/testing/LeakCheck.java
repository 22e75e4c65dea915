package dev.berth.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testkit.registry.Processes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Asserts that nothing a daemon made for its pods outlived them: mounts under its dirs, pinned namespace
 * files, cgroups, veths on its bridge, iptables rules for its subnet, conmon/runc/catatonit processes.
 */
public final class LeakCheck {

    private LeakCheck() {}

    public static void assertNothingLeft(Path base, PodNetworkFixture network, String cgroupMarker) throws IOException {
        String baseText = base.toString();
        List<String> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(line -> line.contains(baseText))
                .toList();
        assertThat(mounts).as("mounts under %s", base).isEmpty();

        Path nsDir = base.resolve("state/ns");
        if (Files.isDirectory(nsDir)) {
            try (Stream<Path> entries = Files.list(nsDir)) {
                assertThat(entries.toList()).as("pinned namespaces").isEmpty();
            }
        }

        for (String perContainer : List.of("state/sockets", "state/containers", "state/exits")) {
            Path dir = base.resolve(perContainer);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> entries = Files.list(dir)) {
                    assertThat(entries.toList())
                            .as("entries left in %s", perContainer)
                            .isEmpty();
                }
            }
        }

        // pods' cgroup parents are "<marker>-<uid>" (PodClient), so a prefix match, in every hierarchy
        List<String> cgroups = new ArrayList<>();
        for (Path hierarchy : HostCgroups.detect().roots()) {
            try (Stream<Path> children = Files.list(hierarchy)) {
                children.filter(child -> child.getFileName().toString().startsWith(cgroupMarker + "-"))
                        .filter(Files::isDirectory)
                        .forEach(child -> cgroups.add(child.toString()));
            }
        }
        assertThat(cgroups).as("pod cgroups").isEmpty();

        if (Processes.run(List.of("ip", "-o", "link", "show"), 10).contains(" " + network.bridge() + ":")) {
            String veths = Processes.run(List.of("ip", "-o", "link", "show", "master", network.bridge()), 10);
            assertThat(veths.strip()).as("veths on %s", network.bridge()).isEmpty();
        }
        String rules = Processes.run(List.of("iptables-save"), 30);
        assertThat(rules.lines()
                        .filter(line -> line.contains(network.prefix()) && !network.isNodeMasqueradeRule(line))
                        .toList())
                .as("iptables rules for %s", network.subnet())
                .isEmpty();

        assertThat(processesMentioning(baseText)).as("processes left behind").isEmpty();
    }

    /** After a failed test: lazily unmounts whatever is still mounted under {@code base}, deepest first. */
    public static void unmountEverythingUnder(Path base) throws IOException {
        List<String> targets = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String mountPoint = line.split(" ")[4];
            if (mountPoint.startsWith(base.toString())) {
                targets.add(mountPoint);
            }
        }
        targets.sort(java.util.Comparator.comparingInt(String::length).reversed());
        for (String target : targets) {
            Processes.run(List.of("umount", "-l", target), 10);
        }
    }

    private static List<String> processesMentioning(String text) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.toList()) {
                String name = proc.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)
                        || name.equals(Long.toString(ProcessHandle.current().pid()))) {
                    continue;
                }
                try {
                    String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ');
                    if (cmdline.contains(text)) {
                        found.add(name + ": " + cmdline.strip());
                    }
                } catch (IOException e) {
                    // exited meanwhile
                }
            }
        }
        return found;
    }
}
