package dev.berth.e2e.bench;

import dev.berth.process.CommandRunner;
import dev.berth.testing.HostCgroups;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Removes what runtimes leave on the host when they are stopped abruptly: mounts below a directory,
 * a cgroup subtree in every hierarchy, a network link. Each step is idempotent, so it runs after a
 * clean shutdown as a check and after a failed run as the cleanup itself.
 */
final class HostCleanup {

    private static final String RUNC = "/usr/sbin/runc";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

    private final CommandRunner commands;

    HostCleanup(CommandRunner commands) {
        this.commands = commands;
    }

    /**
     * Force-deletes every container of every runc root found below {@code dir} (a runc root holds one
     * {@code <id>/state.json} per container), whichever runtime made it: the containers' processes
     * outlive a daemon and its shims or conmons, so killing those is not enough.
     */
    void deleteRuncContainersBelow(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> states;
        try (var walk = Files.walk(dir, 8)) {
            states = walk.filter(p -> p.getFileName().toString().equals("state.json"))
                    .toList();
        }
        for (Path state : states) {
            Path container = state.getParent();
            commands.run(CommandRunner.Command.of(
                    COMMAND_TIMEOUT,
                    List.of(
                            RUNC,
                            "--root",
                            container.getParent().toString(),
                            "delete",
                            "-f",
                            container.getFileName().toString())));
        }
    }

    /** Lazily unmounts every mount point at or below {@code dir}, deepest first. */
    void unmountBelow(Path dir) throws IOException {
        String prefix = dir.toAbsolutePath().normalize().toString();
        List<String> targets = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String target = line.split(" ")[4].replace("\\040", " ");
            if (target.equals(prefix) || target.startsWith(prefix + "/")) {
                targets.add(target);
            }
        }
        targets.sort(Comparator.comparingInt(String::length).reversed());
        for (String target : targets) {
            commands.run(CommandRunner.Command.of(COMMAND_TIMEOUT, List.of("umount", "-l", target)));
        }
    }

    /**
     * Removes the cgroup {@code relative} and everything below it in every hierarchy the host has,
     * leaves first (cgroupfs dirs go with rmdir, never by deleting their files). A cgroup that still has
     * processes stays and is reported.
     */
    void removeCgroupTree(String relative) throws IOException {
        List<Path> busy = new ArrayList<>();
        for (Path top : HostCgroups.detect().everywhere(relative)) {
            if (!Files.isDirectory(top)) {
                continue;
            }
            List<Path> dirs;
            try (var walk = Files.walk(top)) {
                dirs = walk.filter(Files::isDirectory)
                        .sorted(Comparator.reverseOrder())
                        .toList();
            }
            for (Path dir : dirs) {
                try {
                    Files.deleteIfExists(dir);
                } catch (IOException e) {
                    busy.add(dir);
                }
            }
        }
        if (!busy.isEmpty()) {
            throw new IOException("cgroups still in use after the benchmark: " + busy);
        }
    }

    /** Deletes a network link (the bench's bridge) if it exists. */
    void deleteLink(String name) throws IOException {
        if (Files.exists(Path.of("/sys/class/net", name))) {
            commands.runChecked(CommandRunner.Command.of(COMMAND_TIMEOUT, List.of("ip", "link", "del", name)));
        }
    }

    /** Kills (SIGKILL, by pid) the processes whose command line mentions {@code marker}, e.g. a shim's socket dir. */
    List<Long> killProcessesMentioning(String marker) {
        List<Long> killed = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        ProcessHandle.allProcesses()
                .filter(p -> p.pid() != self)
                .filter(p -> commandLine(p.pid()).contains(marker))
                .forEach(p -> {
                    if (p.destroyForcibly()) {
                        killed.add(p.pid());
                    }
                });
        return killed;
    }

    /**
     * From /proc: ProcessHandle.Info has no command line for a process whose binary lives in another
     * mount namespace (a container's). Empty once the process is gone.
     */
    static String commandLine(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"))
                    .replace('\0', ' ')
                    .strip();
        } catch (IOException e) {
            return "";
        }
    }
}
