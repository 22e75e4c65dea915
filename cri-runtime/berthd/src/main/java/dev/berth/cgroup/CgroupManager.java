package dev.berth.cgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cgroupfs driver: creates pod and container cgroups, sets their limits, reads their usage and tears
 * them down. Paths are absolute-looking cgroup paths ("/kubepods/besteffort/pod&lt;uid&gt;/&lt;pod id&gt;/&lt;id&gt;"), the same
 * string the OCI spec hands runc as {@code linux.cgroupsPath}.
 */
public interface CgroupManager {

    Path DEFAULT_ROOT = Path.of("/sys/fs/cgroup");
    /** The key of the hybrid v2 tree among v1 controllers: not a controller name, so no limit or stat reads it. */
    String HYBRID_UNIFIED = "unified";

    /** v2 when /sys/fs/cgroup is a cgroup2 mount, else v1 with every cgroup (v1) hierarchy mounted. */
    static CgroupManager detect() throws IOException {
        String mountinfo = Files.readString(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8);
        List<CgroupMount> mounts = CgroupMount.parseMountinfo(mountinfo);
        for (CgroupMount mount : mounts) {
            if (mount.cgroup2() && mount.mountPoint().equals(DEFAULT_ROOT)) {
                return new CgroupV2Manager(mount.mountPoint());
            }
        }
        Map<String, Path> controllers = new LinkedHashMap<>();
        for (CgroupMount mount : mounts) {
            if (!mount.cgroup2()) {
                // the first mount of a hierarchy wins; later ones are bind mounts of the same tree
                mount.controllers().forEach(c -> controllers.putIfAbsent(c, mount.mountPoint()));
            }
        }
        if (controllers.isEmpty()) {
            throw new IOException("no cgroup file system found in /proc/self/mountinfo (neither cgroup2 at "
                    + DEFAULT_ROOT + " nor any cgroup v1 hierarchy)");
        }
        for (CgroupMount mount : mounts) {
            // hybrid mode's v2 tree (/sys/fs/cgroup/unified) holds no controllers, but runc makes each container's
            // cgroup path there too: without it in the set, removing a pod left its cgroup behind in that tree
            if (mount.cgroup2() && DEFAULT_ROOT.equals(mount.mountPoint().getParent())) {
                controllers.putIfAbsent(HYBRID_UNIFIED, mount.mountPoint());
            }
        }
        return new CgroupV1Manager(controllers);
    }

    /** True on cgroup v2. */
    boolean unified();

    /**
     * The path as "/a/b" (no repeated or trailing '/'), rejecting what {@link #create} would reject (relative
     * paths, "." and ".."), before anything is made.
     */
    static String canonicalPath(String cgroupPath) {
        return CgroupPath.parse(cgroupPath).toString();
    }

    /** mkdir -p in every hierarchy; idempotent. Rejects relative paths and ".." with IllegalArgumentException. */
    void create(String cgroupPath) throws IOException;

    /** Writes the limits that are set; fields left at 0 / empty keep the kernel's current value. */
    void apply(String cgroupPath, CgroupResources resources) throws IOException;

    /** SIGKILLs every process in the cgroup and its descendants and waits (about 2 s at most) until none is left. */
    void killAll(String cgroupPath) throws IOException;

    /** rmdir in every hierarchy, children first; a missing cgroup is fine; one still busy after ~1 s is an IOException. */
    void remove(String cgroupPath) throws IOException;

    /**
     * rmdir of this one cgroup in every hierarchy, only if it is empty everywhere: no child cgroup and no process in
     * any hierarchy. Never kills and never touches children: for a cgroup berthd made as a missing parent, which
     * someone else may have started using meanwhile. False (nothing removed) when it is not empty; a missing cgroup
     * is true.
     */
    boolean removeIfEmpty(String cgroupPath) throws IOException;

    boolean exists(String cgroupPath);

    /** The processes directly in this cgroup (its cgroup.procs). */
    List<Integer> pids(String cgroupPath) throws IOException;

    CgroupStats stats(String cgroupPath) throws IOException;

    /** Moves a process into this cgroup (every hierarchy on v1), e.g. a pod's catatonit before it forks. */
    void addProcess(String cgroupPath, long pid) throws IOException;
}
