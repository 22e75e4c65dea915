package dev.berth.build.run;

import dev.berth.build.BuildRequest.NetworkMode;
import dev.berth.cgroup.CgroupManager;
import dev.berth.network.PodNetwork;
import dev.berth.network.PodNetworkRequest;
import dev.berth.sandbox.PodNamespace;
import dev.berth.sandbox.PodNamespaces;
import dev.berth.store.Directories;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where one build's RUNs execute, pod-like: its own pinned IPC and UTS namespaces, a network namespace by
 * {@link NetworkMode} (wired on berthd's default network for DEFAULT), a cgroup under {@code /berth-build} with the
 * build's limits, and a directory for the steps' files. The kernel parts are made at the first RUN ({@link #start}),
 * so a build the cache gives whole, or one with only COPYs, never pays for them. {@link #close} removes all of it,
 * whatever state the build left it in.
 */
public final class BuildSandbox implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BuildSandbox.class);

    private final String id;
    private final Path dir;
    private final NetworkMode network;
    private final String cgroupPath;
    private final Parts parts;
    private final Starter starter;
    private Map<String, Path> namespaces = Map.of();
    private Path resolvConf;
    private boolean started;

    BuildSandbox(String id, Path dir, NetworkMode network, String cgroupPath, Parts parts, Starter starter) {
        this.id = id;
        this.dir = dir;
        this.network = network;
        this.cgroupPath = cgroupPath;
        this.parts = parts;
        this.starter = starter;
    }

    /** The pieces a sandbox is made of, shared by every build. */
    record Parts(PodNamespaces pinner, PodNetwork network, CgroupManager cgroups, String cgroupParent) {}

    /** Makes the kernel parts of a sandbox: cgroup, namespaces, network. */
    interface Starter {
        void start(BuildSandbox sandbox) throws IOException;
    }

    /** Makes the cgroup, namespaces and network if this is the first RUN; a failure leaves the rest to close. */
    public synchronized void start() throws IOException {
        if (!started) {
            started = true;
            starter.start(this);
        }
    }

    synchronized void started(Map<String, Path> namespaces, Path resolvConf) {
        this.namespaces = Map.copyOf(namespaces);
        this.resolvConf = resolvConf;
    }

    NetworkMode network() {
        return network;
    }

    String cgroupPath() {
        return cgroupPath;
    }

    public String id() {
        return id;
    }

    /** The build's private directory, for the steps' bundles and upper dirs. */
    public Path dir() {
        return dir;
    }

    /** nsfs paths for the spec: {@code network} (absent on the host network), {@code ipc}, {@code uts}. */
    public synchronized Map<String, Path> namespaces() {
        return namespaces;
    }

    /** The cgroup a step's container gets: one below the build's. */
    public String cgroupFor(String containerId) {
        return cgroupPath + "/" + containerId;
    }

    /** The resolv.conf a RUN sees, or null with no network. */
    public synchronized Path resolvConf() {
        return resolvConf;
    }

    static Map<String, Path> specNamespaces(Map<PodNamespace, Path> pinned) {
        Map<String, Path> spec = new HashMap<>();
        pinned.forEach((kind, path) -> spec.put(kind == PodNamespace.NET ? "network" : kind.procName(), path));
        return spec;
    }

    PodNetworkRequest networkRequest() {
        return new PodNetworkRequest(id, id, "berth-build", "", namespaces.get("network"), null);
    }

    /** Kills what is left in the cgroup, then detaches, unpins and removes; each part is tried whatever failed. */
    @Override
    public synchronized void close() throws IOException {
        IOException first = null;
        try {
            if (parts.cgroups().exists(cgroupPath)) {
                parts.cgroups().killAll(cgroupPath);
                parts.cgroups().remove(cgroupPath);
            }
            parts.cgroups().removeIfEmpty(parts.cgroupParent());
        } catch (IOException e) {
            first = e;
        }
        if (network == NetworkMode.DEFAULT && namespaces.containsKey("network")) {
            try {
                parts.network().tearDown(networkRequest());
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (started) {
            try {
                parts.pinner().release(id);
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        try {
            Directories.deleteRecursively(dir);
        } catch (IOException e) {
            first = first == null ? e : first;
        }
        if (first != null) {
            log.warn("build {}: sandbox cleanup failed: {}", id, first.getMessage());
            throw first;
        }
        log.debug("build {}: sandbox removed", id);
    }
}
