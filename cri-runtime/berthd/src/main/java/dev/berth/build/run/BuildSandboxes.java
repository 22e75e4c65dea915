package dev.berth.build.run;

import dev.berth.build.BuildRequest;
import dev.berth.build.BuildRequest.NetworkMode;
import dev.berth.cgroup.CgroupManager;
import dev.berth.cgroup.CgroupResources;
import dev.berth.network.PodLoopback;
import dev.berth.network.PodNetwork;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.sandbox.PinnedNamespaces;
import dev.berth.sandbox.PodNamespace;
import dev.berth.sandbox.PodNamespaces;
import dev.berth.store.Directories;
import dev.berth.sys.Mounts;
import dev.berth.sys.NamespaceCalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/** Makes a {@link BuildSandbox} for each build, rolled back when a part of it cannot be made. */
public final class BuildSandboxes {

    /** Where build cgroups live, apart from kubelet's and berthd's pods. */
    public static final String CGROUP_PARENT = "/berth-build";
    /** A build without limits of its own gets 2 GiB, so a runaway RUN cannot take the node's memory. */
    static final long DEFAULT_MEMORY = 2L << 30;

    static final long PIDS_LIMIT = 16_384;

    private final BuildSandbox.Parts parts;
    private final Path buildsDir;
    private final Path hostResolvConf;
    private final PodLoopback loopback;

    public BuildSandboxes(
            PodNamespaces pinner,
            PodNetwork network,
            CgroupManager cgroups,
            NamespaceCalls namespaceCalls,
            Path buildsDir,
            Path hostResolvConf) {
        this.parts = new BuildSandbox.Parts(pinner, network, cgroups, CGROUP_PARENT);
        this.loopback = PodLoopback.overNetlink(namespaceCalls);
        this.buildsDir = buildsDir;
        this.hostResolvConf = hostResolvConf;
    }

    /** Where the last build's context is kept for the next one, beside the builds' directories. */
    public Path contextDonorDir() {
        return buildsDir.resolveSibling("build-context");
    }

    /** What killed builds left, for start-up; {@code runtime} ran their steps. */
    public BuildLeftovers leftovers(Mounts mounts, ContainerRuntime runtime) {
        return new BuildLeftovers(buildsDir, parts, mounts, runtime);
    }

    /** The sandbox's directory now; its kernel parts at its first {@link BuildSandbox#start}. */
    public BuildSandbox create(String buildId, BuildRequest request) throws IOException {
        Path dir = buildsDir.resolve(buildId);
        Directories.createPrivate(buildsDir);
        Directories.createPrivate(dir);
        CgroupResources limits = limits(request);
        return new BuildSandbox(
                buildId,
                dir,
                request.network(),
                CGROUP_PARENT + "/" + buildId,
                parts,
                sandbox -> start(sandbox, limits));
    }

    private void start(BuildSandbox sandbox, CgroupResources limits) throws IOException {
        NetworkMode mode = sandbox.network();
        Set<PodNamespace> kinds = EnumSet.of(PodNamespace.IPC, PodNamespace.UTS);
        if (mode != NetworkMode.HOST) {
            kinds.add(PodNamespace.NET);
        }
        parts.cgroups().create(sandbox.cgroupPath());
        parts.cgroups().apply(sandbox.cgroupPath(), limits);
        PinnedNamespaces pinned = parts.pinner().pin(sandbox.id(), "buildkitsandbox", kinds);
        Path resolvConf = null;
        if (mode != NetworkMode.NONE && Files.isRegularFile(hostResolvConf)) {
            resolvConf = sandbox.dir().resolve("resolv.conf");
            Files.copy(hostResolvConf, resolvConf);
        }
        sandbox.started(BuildSandbox.specNamespaces(pinned.paths()), resolvConf);
        if (mode == NetworkMode.DEFAULT) {
            parts.network().setUp(sandbox.networkRequest());
        } else if (mode == NetworkMode.NONE) {
            // docker's "none" still has a loopback device that is up
            loopback.bringUp(sandbox.namespaces().get("network"));
        }
    }

    /** A pids limit too, so a fork bomb in a RUN stops at the build's cgroup. */
    private static CgroupResources limits(BuildRequest request) {
        boolean cpu = request.cpuMillis() > 0;
        return new CgroupResources(
                0,
                cpu ? request.cpuMillis() * 100 : 0,
                cpu ? 100_000 : 0,
                "",
                "",
                request.memoryLimitBytes() > 0 ? request.memoryLimitBytes() : DEFAULT_MEMORY,
                0,
                PIDS_LIMIT,
                java.util.Map.of(),
                java.util.Map.of());
    }
}
