package dev.berth.sandbox;

import dev.berth.cgroup.CgroupManager;
import dev.berth.cgroup.CgroupResources;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a pod's cgroup goes and which cgroups are berthd's to kill and remove. kubelet (cgroupfs driver) makes the
 * pod-level cgroup it sends as {@code cgroup_parent}, may put its own processes there, and removes it itself; so, as
 * containerd and CRI-O do, berthd makes the pod's own cgroup below it ({@code <parent>/<id>}) and the containers'
 * below that. Only those, and parents berthd had to make itself, are ever killed or removed.
 */
final class PodCgroups {

    private static final Logger log = LoggerFactory.getLogger(PodCgroups.class);
    /** berthd's own parent when kubelet sends none or the root (--cgroups-per-qos=false): never removed. */
    private static final String OWN_PARENT = "/berth";

    private final CgroupManager cgroups;

    PodCgroups(CgroupManager cgroups) {
        this.cgroups = cgroups;
    }

    /** The pod's own cgroup; rejects a parent that is not an absolute path without "." and "..". */
    static String path(String cgroupParent, String id) {
        String parent = isRoot(cgroupParent) ? OWN_PARENT : CgroupManager.canonicalPath(cgroupParent);
        return parent + "/" + id;
    }

    /**
     * The ancestors of kubelet's parent, the parent included, that exist in no hierarchy now, deepest first: they are
     * the ones {@link #create} makes. None for berthd's own parent, which stays for the next pod.
     */
    List<String> missingParents(String cgroupParent) {
        if (isRoot(cgroupParent)) {
            return List.of();
        }
        List<String> missing = new ArrayList<>();
        String ancestor = CgroupManager.canonicalPath(cgroupParent);
        while (!ancestor.isEmpty() && !cgroups.exists(ancestor)) {
            missing.add(ancestor);
            ancestor = ancestor.substring(0, ancestor.lastIndexOf('/'));
        }
        return missing;
    }

    /** mkdir -p of the pod's cgroup, missing parents included, then the pod-level limits. */
    void create(SandboxRecord sandbox, CgroupResources resources) throws IOException {
        cgroups.create(sandbox.cgroupPath());
        cgroups.apply(sandbox.cgroupPath(), resources);
    }

    /**
     * Kills what is left in the pod's own cgroup and removes it, then the parents berthd made if nothing else uses
     * them. A record from before berthd made its own pod cgroup holds kubelet's parent as its path: not berthd's, so
     * untouched (its containers' cgroups go with the containers).
     */
    void remove(SandboxRecord sandbox) throws IOException {
        if (!owns(sandbox)) {
            log.debug("pod {}: cgroup {} is kubelet's, left in place", sandbox.id(), sandbox.cgroupPath());
            return;
        }
        if (cgroups.exists(sandbox.cgroupPath())) {
            cgroups.killAll(sandbox.cgroupPath());
            cgroups.remove(sandbox.cgroupPath());
        }
        for (String parent : sandbox.metadata().cgroupParentsMade()) {
            if (!cgroups.removeIfEmpty(parent)) {
                // another pod (or kubelet) uses it now; so are the ones above it
                log.debug("pod {}: cgroup parent {} it made is in use, left in place", sandbox.id(), parent);
                return;
            }
        }
    }

    static boolean owns(SandboxRecord sandbox) {
        return sandbox.cgroupPath().endsWith("/" + sandbox.id());
    }

    private static boolean isRoot(String cgroupParent) {
        return cgroupParent.chars().allMatch(c -> c == '/');
    }
}
