package dev.berth.build.run;

import dev.berth.build.BuildRequest.NetworkMode;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.RuntimeState;
import dev.berth.sys.Mounts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start-up, removes what the builds of a berthd that was killed left behind: their step containers, overlay
 * mounts, cgroups, network attachments, pinned namespaces and directories. A build dir is the record of a build:
 * only the builds found there are touched, so another berthd's builds on the same node are not.
 */
public final class BuildLeftovers {

    private static final Logger log = LoggerFactory.getLogger(BuildLeftovers.class);
    private static final int SIGKILL = 9;

    private final Path buildsDir;
    private final BuildSandbox.Parts parts;
    private final Mounts mounts;
    private final ContainerRuntime runtime;

    BuildLeftovers(Path buildsDir, BuildSandbox.Parts parts, Mounts mounts, ContainerRuntime runtime) {
        this.buildsDir = buildsDir;
        this.parts = parts;
        this.mounts = mounts;
        this.runtime = runtime;
    }

    public void sweep() throws IOException {
        if (!Files.isDirectory(buildsDir)) {
            return;
        }
        List<Path> builds;
        try (Stream<Path> dirs = Files.list(buildsDir)) {
            builds = dirs.filter(Files::isDirectory).toList();
        }
        if (builds.isEmpty()) {
            return;
        }
        List<RuntimeState> containers = runtime.list();
        for (Path dir : builds) {
            String id = dir.getFileName().toString();
            for (RuntimeState container : containers) {
                if (container.id().startsWith(id + "-")) {
                    runtime.kill(container.id(), SIGKILL, true);
                    runtime.delete(container.id(), true);
                }
            }
            unmountUnder(dir);
            // every part is removed as if started: a missing one is no error
            BuildSandbox sandbox = new BuildSandbox(
                    id, dir, NetworkMode.DEFAULT, BuildSandboxes.CGROUP_PARENT + "/" + id, parts, s -> {});
            sandbox.start();
            sandbox.started(java.util.Map.of("network", dir.resolve("gone-netns")), null);
            sandbox.close();
            log.info("build {}: removed what a killed berthd left of it", id);
        }
    }

    private void unmountUnder(Path dir) throws IOException {
        List<Path> targets = new ArrayList<>();
        String prefix = dir.toAbsolutePath().toString();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
            String[] fields = line.split(" ");
            if (fields.length > 4 && (fields[4].equals(prefix) || fields[4].startsWith(prefix + "/"))) {
                targets.add(Path.of(fields[4]));
            }
        }
        targets.sort(Comparator.comparingInt((Path p) -> p.toString().length()).reversed());
        for (Path target : targets) {
            mounts.unmount(target);
        }
    }
}
