package dev.berth.e2e.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.HostFacts;
import dev.berth.oci.SeccompProfiles;
import dev.berth.oci.SeccompWhenUnset;
import dev.berth.process.CommandRunner;
import dev.berth.testkit.layer.BusyboxImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The floor no runtime built on runc can beat: {@code runc run -d} of a ready bundle (busybox rootfs
 * shared read-only, {@code runc spec}'s defaults: five new namespaces and a cgroup), no image
 * store, no network, no log pipe. Each container is deleted right after it is timed. With seccomp, the bundle
 * carries the RuntimeDefault profile berthd writes for the same capabilities: the floor for a request that asks
 * for it, since no runtime may skip the filter (runc 1.1 compiles it on every create).
 */
final class RuncFloor implements PodStarter {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final Path dir;
    private final CommandRunner commands;
    private final String cgroupRoot;
    private final String run;
    private final ObjectNode template;
    private final List<String> running = new ArrayList<>();

    private RuncFloor(
            String name, Path dir, CommandRunner commands, String cgroupRoot, String run, ObjectNode template) {
        this.name = name;
        this.dir = dir;
        this.commands = commands;
        this.cgroupRoot = cgroupRoot;
        this.run = run;
        this.template = template;
    }

    /**
     * Writes the rootfs and a config template from {@code runc spec} under {@code parent}; {@code seccomp} adds the
     * RuntimeDefault profile.
     */
    static RuncFloor prepare(
            Path parent, BusyboxImage busybox, CommandRunner commands, String cgroupRoot, String run, boolean seccomp)
            throws IOException {
        String variant = seccomp ? "runc-floor-seccomp" : "runc-floor";
        Path dir = Files.createDirectories(parent.resolve(variant));
        busybox.writeRootfs(dir.resolve("rootfs"));
        Path spec = Files.createDirectories(dir.resolve("spec"));
        commands.runChecked(CommandRunner.Command.of(
                TIMEOUT, List.of(ContainerdCri.RUNC.toString(), "spec", "--bundle", spec.toString())));
        ObjectNode config = (ObjectNode)
                new ObjectMapper().readTree(spec.resolve("config.json").toFile());
        ObjectNode process = (ObjectNode) config.get("process");
        process.put("terminal", false);
        process.putArray("args").add("sleep").add("3600");
        ((ObjectNode) config.get("root"))
                .put("path", dir.resolve("rootfs").toString())
                .put("readonly", true);
        if (seccomp) {
            HostFacts host = HostFacts.probe();
            List<String> bounding = new ArrayList<>();
            process.path("capabilities").path("bounding").forEach(c -> bounding.add(c.asText()));
            ((ObjectNode) config.get("linux"))
                    .set(
                            "seccomp",
                            new SeccompProfiles(
                                            new ObjectMapper(), host.arch(), host.x32Abi(), SeccompWhenUnset.Unconfined)
                                    .runtimeDefault(bounding));
        }
        String name = seccomp ? "runc run -d, seccomp (floor)" : "runc run -d (floor)";
        return new RuncFloor(name, dir, commands, cgroupRoot, run + (seccomp ? "s" : ""), config);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public double startPod(int index) throws Exception {
        String id = "floor-" + run + "-" + index;
        Path bundle = Files.createDirectories(dir.resolve("bundles").resolve(id));
        ObjectNode config = template.deepCopy();
        config.put("hostname", "floor-" + index);
        ((ObjectNode) config.get("linux")).put("cgroupsPath", "/" + cgroupRoot + "/" + id);
        new ObjectMapper().writeValue(bundle.resolve("config.json").toFile(), config);
        long start = System.nanoTime();
        commands.runChecked(CommandRunner.Command.of(
                TIMEOUT,
                List.of(
                        ContainerdCri.RUNC.toString(),
                        "--root",
                        runcRoot(),
                        "run",
                        "-d",
                        "--bundle",
                        bundle.toString(),
                        id)));
        double millis = (System.nanoTime() - start) / 1e6;
        running.add(id);
        delete(id);
        return millis;
    }

    @Override
    public void removeAll() throws Exception {
        // runc list too: a run that failed after create leaves a container the list above never got.
        List<String> ids = new ArrayList<>(running);
        if (Files.isDirectory(Path.of(runcRoot()))) {
            commands.runChecked(CommandRunner.Command.of(
                            TIMEOUT, List.of(ContainerdCri.RUNC.toString(), "--root", runcRoot(), "list", "-q")))
                    .stdout()
                    .lines()
                    .filter(l -> !l.isBlank() && !ids.contains(l))
                    .forEach(ids::add);
        }
        for (String id : ids) {
            delete(id);
        }
        dev.berth.store.Directories.deleteRecursively(dir);
    }

    private void delete(String id) throws IOException {
        commands.runChecked(CommandRunner.Command.of(
                TIMEOUT, List.of(ContainerdCri.RUNC.toString(), "--root", runcRoot(), "delete", "-f", id)));
        running.remove(id);
        dev.berth.store.Directories.deleteRecursively(dir.resolve("bundles").resolve(id));
    }

    private String runcRoot() {
        return dir.resolve("runc-root").toString();
    }
}
