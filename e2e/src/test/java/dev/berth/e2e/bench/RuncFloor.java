package dev.berth.e2e.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * store, no network, no log pipe. Each container is deleted right after it is timed.
 */
final class RuncFloor implements PodStarter {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Path dir;
    private final CommandRunner commands;
    private final String cgroupRoot;
    private final String run;
    private final ObjectNode template;
    private final List<String> running = new ArrayList<>();

    private RuncFloor(Path dir, CommandRunner commands, String cgroupRoot, String run, ObjectNode template) {
        this.dir = dir;
        this.commands = commands;
        this.cgroupRoot = cgroupRoot;
        this.run = run;
        this.template = template;
    }

    /** Writes the rootfs and a config template from {@code runc spec} under {@code parent}. */
    static RuncFloor prepare(Path parent, BusyboxImage busybox, CommandRunner commands, String cgroupRoot, String run)
            throws IOException {
        Path dir = Files.createDirectories(parent.resolve("runc-floor"));
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
        return new RuncFloor(dir, commands, cgroupRoot, run, config);
    }

    @Override
    public String name() {
        return "runc run -d (floor)";
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
