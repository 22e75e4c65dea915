package dev.berth.build.run;

import dev.berth.build.BuildRequest;
import dev.berth.build.BuildRequest.NetworkMode;
import dev.berth.cgroup.CgroupManager;
import dev.berth.cri.v1.LinuxContainerResources;
import dev.berth.network.PodNetwork;
import dev.berth.sandbox.CriResources;
import dev.berth.sandbox.PinnedNamespaces;
import dev.berth.sandbox.PodNamespace;
import dev.berth.sandbox.PodNamespaces;
import dev.berth.store.Directories;
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

    private final BuildSandbox.Parts parts;
    private final Path buildsDir;
    private final Path hostResolvConf;

    public BuildSandboxes(
            PodNamespaces pinner, PodNetwork network, CgroupManager cgroups, Path buildsDir, Path hostResolvConf) {
        this.parts = new BuildSandbox.Parts(pinner, network, cgroups, CGROUP_PARENT);
        this.buildsDir = buildsDir;
        this.hostResolvConf = hostResolvConf;
    }

    public BuildSandbox create(String buildId, BuildRequest request) throws IOException {
        Path dir = buildsDir.resolve(buildId);
        Directories.createPrivate(buildsDir);
        Directories.createPrivate(dir);
        String cgroup = CGROUP_PARENT + "/" + buildId;
        NetworkMode mode = request.network();
        Set<PodNamespace> kinds = EnumSet.of(PodNamespace.IPC, PodNamespace.UTS);
        if (mode != NetworkMode.HOST) {
            kinds.add(PodNamespace.NET);
        }
        BuildSandbox sandbox = null;
        try {
            parts.cgroups().create(cgroup);
            parts.cgroups().apply(cgroup, CriResources.toCgroup(limits(request)));
            PinnedNamespaces pinned = parts.pinner().pin(buildId, "buildkitsandbox", kinds);
            Path resolvConf = null;
            if (mode != NetworkMode.NONE && Files.isRegularFile(hostResolvConf)) {
                resolvConf = dir.resolve("resolv.conf");
                Files.copy(hostResolvConf, resolvConf);
            }
            sandbox = new BuildSandbox(
                    buildId, dir, mode, BuildSandbox.specNamespaces(pinned.paths()), cgroup, resolvConf, parts);
            if (mode == NetworkMode.DEFAULT) {
                parts.network().setUp(sandbox.networkRequest());
            }
            return sandbox;
        } catch (IOException | RuntimeException e) {
            try {
                if (sandbox != null) {
                    sandbox.close();
                } else {
                    new BuildSandbox(buildId, dir, NetworkMode.HOST, java.util.Map.of(), cgroup, null, parts).close();
                }
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private static LinuxContainerResources limits(BuildRequest request) {
        LinuxContainerResources.Builder limits = LinuxContainerResources.newBuilder()
                .setMemoryLimitInBytes(request.memoryLimitBytes() > 0 ? request.memoryLimitBytes() : DEFAULT_MEMORY);
        if (request.cpuMillis() > 0) {
            limits.setCpuPeriod(100_000).setCpuQuota(request.cpuMillis() * 100);
        }
        return limits.build();
    }
}
