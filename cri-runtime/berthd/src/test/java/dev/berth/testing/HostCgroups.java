package dev.berth.testing;

import dev.berth.cgroup.CgroupMount;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The host's cgroup file systems as berthd detects them (cgroup v2 when /sys/fs/cgroup is a cgroup2 mount,
 * else v1 hierarchies, with hybrid mode's unified tree beside them), so that a test reads and checks the
 * files of whichever hierarchy the host runs instead of assuming one.
 */
public record HostCgroups(List<CgroupMount> mounts) {

    private static final Path ROOT = Path.of("/sys/fs/cgroup");

    public HostCgroups {
        mounts = List.copyOf(mounts);
    }

    public static HostCgroups detect() throws IOException {
        return new HostCgroups(
                CgroupMount.parseMountinfo(Files.readString(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)));
    }

    /** /sys/fs/cgroup is cgroup v2 (no v1 hierarchies in use). */
    public boolean unified() {
        return unifiedRoot().isPresent();
    }

    private Optional<Path> unifiedRoot() {
        return mounts.stream()
                .filter(m -> m.cgroup2() && m.mountPoint().equals(ROOT))
                .map(CgroupMount::mountPoint)
                .findFirst();
    }

    /** The directory of {@code cgroup} (a path from the hierarchy's root) where {@code controller} manages it. */
    public Path dir(String controller, String cgroup) {
        Path root = unifiedRoot()
                .orElseGet(() -> mounts.stream()
                        .filter(m -> !m.cgroup2() && m.controllers().contains(controller))
                        .map(CgroupMount::mountPoint)
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException("no cgroup v1 hierarchy has " + controller)));
        return root.resolve(relative(cgroup));
    }

    /** The file that holds {@code cgroup}'s memory limit: memory.max (v2) or memory.limit_in_bytes (v1). */
    public Path memoryLimit(String cgroup) {
        return dir("memory", cgroup).resolve(unified() ? "memory.max" : "memory.limit_in_bytes");
    }

    /** Every tree a cgroup is made in: the v2 root, or each v1 hierarchy and hybrid mode's unified tree. */
    public List<Path> roots() {
        return unifiedRoot()
                .map(List::of)
                .orElseGet(() -> mounts.stream()
                        .map(CgroupMount::mountPoint)
                        .filter(p -> p.startsWith(ROOT))
                        .distinct()
                        .toList());
    }

    /** {@code cgroup} below each of {@link #roots()}. */
    public List<Path> everywhere(String cgroup) {
        return roots().stream().map(root -> root.resolve(relative(cgroup))).toList();
    }

    private static String relative(String cgroup) {
        return cgroup.startsWith("/") ? cgroup.substring(1) : cgroup;
    }
}
