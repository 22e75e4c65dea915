package dev.berth.cgroup;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * cgroupfs driver for cgroup v1: one hierarchy per mount, a mount may carry several controllers
 * ("cpu,cpuacct"). A cgroup exists once per hierarchy, so create/remove touch every one of them.
 */
public final class CgroupV1Manager implements CgroupManager {

    private static final Logger log = LoggerFactory.getLogger(CgroupV1Manager.class);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration FREEZE_TIMEOUT = Duration.ofMillis(500);
    /** Where pids() looks first: hierarchies every runtime joins. */
    private static final List<String> PIDS_PREFERENCE = List.of("pids", "memory", "cpu", "cpuacct", "freezer");

    private final Map<String, Path> controllers;
    private final Set<Path> hierarchies;
    private final CgroupKiller killer = new CgroupKiller(KILL_TIMEOUT);

    /** @param controllers controller name ("cpu", "memory", "name=systemd") to the mount point of its hierarchy */
    public CgroupV1Manager(Map<String, Path> controllers) {
        if (controllers.isEmpty()) {
            throw new IllegalArgumentException("cgroup v1 manager needs at least one mounted hierarchy");
        }
        this.controllers = Map.copyOf(controllers);
        this.hierarchies = new LinkedHashSet<>(controllers.values());
    }

    @Override
    public boolean unified() {
        return false;
    }

    @Override
    public void create(String cgroupPath) throws IOException {
        CgroupPath path = CgroupPath.parse(cgroupPath);
        Path cpusetMount = controllers.get("cpuset");
        for (Path mount : hierarchies) {
            Path dir = mount;
            for (String segment : path.segments()) {
                dir = dir.resolve(segment);
                mkdir(dir);
                if (mount.equals(cpusetMount)) {
                    inheritCpuset(dir);
                }
            }
        }
        log.debug("cgroup {} created in {} hierarchies", path, hierarchies.size());
    }

    private static void mkdir(Path dir) throws IOException {
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            // idempotent: a pod cgroup is shared by its containers, and create may race with another create
        }
    }

    /** A new cpuset cgroup starts with empty cpus and mems, and no process may join it until both are set. */
    private static void inheritCpuset(Path dir) throws IOException {
        for (String file : List.of("cpuset.cpus", "cpuset.mems")) {
            Path own = dir.resolve(file);
            if (Files.exists(own) && CgroupFiles.read(own).isEmpty()) {
                String parentValue = CgroupFiles.read(dir.getParent().resolve(file));
                CgroupFiles.write(own, parentValue);
            }
        }
    }

    @Override
    public void apply(String cgroupPath, CgroupResources r) throws IOException {
        CgroupPath path = CgroupPath.parse(cgroupPath);
        if (!r.unified().isEmpty()) {
            throw new IllegalArgumentException("cgroup " + path + ": 'unified' resources "
                    + r.unified().keySet() + " need cgroup v2, but this node runs cgroup v1");
        }
        ResourceNames.validateHugepages(r);
        applyCpu(path, r);
        if (!r.cpusetCpus().isEmpty()) {
            write(path, "cpuset", "cpuset.cpus", r.cpusetCpus());
        }
        if (!r.cpusetMems().isEmpty()) {
            write(path, "cpuset", "cpuset.mems", r.cpusetMems());
        }
        applyMemory(path, r);
        if (r.pidsLimit() != 0) {
            write(path, "pids", "pids.max", r.pidsLimit() < 0 ? "max" : Long.toString(r.pidsLimit()));
        }
        for (Map.Entry<String, Long> limit : r.hugepageLimits().entrySet()) {
            write(path, "hugetlb", "hugetlb." + limit.getKey() + ".limit_in_bytes", Long.toString(limit.getValue()));
        }
    }

    private void applyCpu(CgroupPath path, CgroupResources r) throws IOException {
        if (r.cpuShares() != 0) {
            write(path, "cpu", "cpu.shares", Long.toString(r.cpuShares()));
        }
        if (r.cpuPeriod() != 0 && r.cpuQuota() != 0) {
            // the kernel checks quota/period against the parent after each write, so one order can fail
            // where the other succeeds (as runc does it: period first, else quota first)
            try {
                write(path, "cpu", "cpu.cfs_period_us", Long.toString(r.cpuPeriod()));
            } catch (IOException e) {
                write(path, "cpu", "cpu.cfs_quota_us", Long.toString(r.cpuQuota()));
                write(path, "cpu", "cpu.cfs_period_us", Long.toString(r.cpuPeriod()));
                return;
            }
            write(path, "cpu", "cpu.cfs_quota_us", Long.toString(r.cpuQuota()));
        } else if (r.cpuPeriod() != 0) {
            write(path, "cpu", "cpu.cfs_period_us", Long.toString(r.cpuPeriod()));
        } else if (r.cpuQuota() != 0) {
            write(path, "cpu", "cpu.cfs_quota_us", Long.toString(r.cpuQuota()));
        }
    }

    /** The kernel keeps memory &lt;= memory+swap at every step, so which file goes first depends on the direction. */
    private void applyMemory(CgroupPath path, CgroupResources r) throws IOException {
        long memory = r.memoryLimitBytes();
        long swap = r.memorySwapLimitBytes();
        Path memoryDir = dir(path, "memory");
        boolean swapFile = memoryDir != null && Files.exists(memoryDir.resolve("memory.memsw.limit_in_bytes"));
        if (swap != 0 && memoryDir != null && !swapFile) {
            log.warn(
                    "cgroup {}: memory+swap limit {} not applied: swap accounting is off (no memory.memsw.limit_in_bytes)",
                    path,
                    swap);
        }
        boolean writeSwap = swap != 0 && swapFile;
        if (memory != 0 && writeSwap) {
            long current = CgroupFiles.readLongOrZero(memoryDir.resolve("memory.limit_in_bytes"));
            if (swap == -1 || current < swap) {
                write(path, "memory", "memory.memsw.limit_in_bytes", Long.toString(swap));
                write(path, "memory", "memory.limit_in_bytes", Long.toString(memory));
                return;
            }
        }
        if (memory != 0) {
            write(path, "memory", "memory.limit_in_bytes", Long.toString(memory));
        }
        if (writeSwap) {
            write(path, "memory", "memory.memsw.limit_in_bytes", Long.toString(swap));
        }
    }

    /** A controller whose hierarchy is not mounted cannot be limited; like runc, skip it rather than fail the pod. */
    private void write(CgroupPath path, String controller, String file, String value) throws IOException {
        Path dir = dir(path, controller);
        if (dir == null) {
            // kubelet sends a hugetlb limit for every page size the machine has, mounted controller or not
            if (controller.equals("hugetlb")) {
                log.debug("cgroup {}: {} not set to {}: hugetlb is not mounted", path, file, value);
            } else {
                log.warn("cgroup {}: {} not set to {}: controller {} is not mounted", path, file, value, controller);
            }
            return;
        }
        CgroupFiles.write(dir.resolve(file), value);
    }

    private Path dir(CgroupPath path, String controller) {
        Path mount = controllers.get(controller);
        return mount == null ? null : path.under(mount);
    }

    @Override
    public void killAll(String cgroupPath) throws IOException {
        CgroupPath path = CgroupPath.parseNonRoot(cgroupPath, "kill every process of");
        Set<Integer> before = subtreePids(path);
        CgroupKiller.refuseSelf(cgroupPath, before);
        if (before.isEmpty()) {
            return;
        }
        // frozen processes cannot fork between our read of cgroup.procs and the signal
        Path freezerState = freezerState(path);
        boolean frozen = freezerState != null;
        if (frozen) {
            freeze(path, freezerState);
        }
        try {
            CgroupKiller.signalAll(path.toString(), subtreePids(path));
        } finally {
            if (frozen) {
                // SIGKILL is only delivered once the tasks run again
                CgroupFiles.write(freezerState, "THAWED");
            }
        }
        killer.killUntilEmpty(path.toString(), () -> subtreePids(path), true);
        log.debug("cgroup {}: every process killed", path);
    }

    private Path freezerState(CgroupPath path) {
        Path dir = dir(path, "freezer");
        if (dir == null) {
            return null;
        }
        Path state = dir.resolve("freezer.state");
        return Files.exists(state) ? state : null;
    }

    private static void freeze(CgroupPath path, Path state) throws IOException {
        CgroupFiles.write(state, "FROZEN");
        long deadline = System.nanoTime() + FREEZE_TIMEOUT.toNanos();
        while (!CgroupFiles.read(state).equals("FROZEN")) {
            if (System.nanoTime() > deadline) {
                log.warn("cgroup {}: not frozen after {} ms, killing anyway", path, FREEZE_TIMEOUT.toMillis());
                break;
            }
            CgroupTree.pause();
        }
    }

    /** A process may sit in different cgroups per hierarchy, so the union over all of them. */
    private Set<Integer> subtreePids(CgroupPath path) throws IOException {
        Set<Integer> pids = new LinkedHashSet<>();
        for (Path mount : hierarchies) {
            pids.addAll(CgroupTree.pidsInSubtree(path.under(mount)));
        }
        return pids;
    }

    @Override
    public void remove(String cgroupPath) throws IOException {
        CgroupPath path = CgroupPath.parseNonRoot(cgroupPath, "remove");
        IOException failure = null;
        long deadline = System.nanoTime() + CgroupTree.BUSY_RETRY.toNanos();
        for (Path mount : hierarchies) {
            try {
                CgroupTree.remove(path.under(mount), path.toString(), deadline);
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        log.debug("cgroup {} removed", path);
    }

    @Override
    public boolean removeIfEmpty(String cgroupPath) throws IOException {
        CgroupPath path = CgroupPath.parseNonRoot(cgroupPath, "remove");
        // checked in every hierarchy first: removing it from some while another still holds a process would
        // split a cgroup someone else now uses
        for (Path mount : hierarchies) {
            if (!CgroupTree.isEmpty(path.under(mount))) {
                return false;
            }
        }
        boolean removed = true;
        for (Path mount : hierarchies) {
            removed &= CgroupTree.removeAlone(path.under(mount));
        }
        return removed;
    }

    @Override
    public boolean exists(String cgroupPath) {
        CgroupPath path = CgroupPath.parse(cgroupPath);
        return hierarchies.stream().anyMatch(mount -> Files.isDirectory(path.under(mount)));
    }

    @Override
    public List<Integer> pids(String cgroupPath) throws IOException {
        CgroupPath path = CgroupPath.parse(cgroupPath);
        List<Path> candidates = new ArrayList<>();
        PIDS_PREFERENCE.stream().map(controllers::get).filter(m -> m != null).forEach(candidates::add);
        candidates.addAll(hierarchies);
        for (Path mount : candidates) {
            Path dir = path.under(mount);
            if (Files.isDirectory(dir)) {
                return CgroupFiles.readProcs(dir);
            }
        }
        throw new NoSuchFileException(path.toString(), null, "no such cgroup in any v1 hierarchy");
    }

    /** Moves a process into this cgroup in every hierarchy. */
    @Override
    public void addProcess(String cgroupPath, long pid) throws IOException {
        CgroupPath path = CgroupPath.parse(cgroupPath);
        for (Path mount : hierarchies) {
            CgroupFiles.write(path.under(mount).resolve("cgroup.procs"), Long.toString(pid));
        }
    }

    @Override
    public CgroupStats stats(String cgroupPath) throws IOException {
        CgroupPath path = CgroupPath.parse(cgroupPath);
        if (!exists(cgroupPath)) {
            throw new NoSuchFileException(path.toString(), null, "no such cgroup in any v1 hierarchy");
        }
        Instant now = Instant.now();
        long cpu = readIn(path, "cpuacct", "cpuacct.usage");
        long usage = readIn(path, "memory", "memory.usage_in_bytes");
        Path memoryDir = dir(path, "memory");
        Map<String, Long> memoryStat =
                memoryDir == null ? Map.of() : CgroupFiles.readKeyed(memoryDir.resolve("memory.stat"));
        Map<String, Long> oom =
                memoryDir == null ? Map.of() : CgroupFiles.readKeyed(memoryDir.resolve("memory.oom_control"));
        long inactiveFile = memoryStat.getOrDefault("total_inactive_file", 0L);
        return new CgroupStats(
                now.getEpochSecond() * 1_000_000_000L + now.getNano(),
                cpu,
                usage,
                Math.max(0, usage - inactiveFile),
                memoryStat.getOrDefault("total_rss", 0L),
                memoryStat.getOrDefault("total_pgfault", 0L),
                memoryStat.getOrDefault("total_pgmajfault", 0L),
                oom.getOrDefault("oom_kill", 0L),
                readIn(path, "pids", "pids.current"));
    }

    private long readIn(CgroupPath path, String controller, String file) throws IOException {
        Path dir = dir(path, controller);
        return dir == null ? 0 : Math.max(0, CgroupFiles.readLongOrZero(dir.resolve(file)));
    }
}
