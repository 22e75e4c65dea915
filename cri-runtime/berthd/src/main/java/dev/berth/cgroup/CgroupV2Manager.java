package dev.berth.cgroup;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * cgroupfs driver for cgroup v2: one unified hierarchy. A controller's files only appear in a cgroup when
 * its parent lists the controller in cgroup.subtree_control, so create() enables them down the path.
 */
public final class CgroupV2Manager implements CgroupManager {

    private static final Logger log = LoggerFactory.getLogger(CgroupV2Manager.class);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(2);

    private final Path mount;
    private final CgroupKiller killer = new CgroupKiller(KILL_TIMEOUT);

    /** @param mount the cgroup2 mount point (/sys/fs/cgroup), or any cgroup under it to treat as the root */
    public CgroupV2Manager(Path mount) {
        this.mount = mount;
    }

    @Override
    public boolean unified() {
        return true;
    }

    @Override
    public void create(String cgroupPath) throws IOException {
        CgroupPath path = CgroupPath.parse(cgroupPath);
        Path dir = mount;
        for (String segment : path.segments()) {
            enableControllers(path, dir);
            dir = dir.resolve(segment);
            try {
                Files.createDirectory(dir);
            } catch (FileAlreadyExistsException e) {
                // idempotent: pod cgroups are shared, and creates may race
            }
        }
        log.debug("cgroup {} created", path);
    }

    /**
     * Enables in {@code dir}'s subtree_control every controller it has. A failure is not fatal: a cgroup
     * holding processes cannot delegate controllers (the "no internal processes" rule), and the limit that
     * needs one will fail in apply() with the file named.
     */
    private static void enableControllers(CgroupPath path, Path dir) throws IOException {
        Path available = dir.resolve("cgroup.controllers");
        Path subtree = dir.resolve("cgroup.subtree_control");
        if (!Files.exists(available) || !Files.exists(subtree)) {
            return;
        }
        Set<String> enabled = new HashSet<>(words(CgroupFiles.read(subtree)));
        List<String> missing = words(CgroupFiles.read(available)).stream()
                .filter(c -> !enabled.contains(c))
                .toList();
        if (missing.isEmpty()) {
            return;
        }
        try {
            CgroupFiles.write(
                    subtree, String.join(" ", missing.stream().map(c -> "+" + c).toList()));
        } catch (IOException all) {
            for (String controller : missing) {
                try {
                    CgroupFiles.write(subtree, "+" + controller);
                } catch (IOException e) {
                    log.warn(
                            "cgroup {}: cannot enable controller {} in {}: {}",
                            path,
                            controller,
                            subtree,
                            e.getMessage());
                }
            }
        }
    }

    private static List<String> words(String line) {
        return line.isBlank() ? List.of() : Arrays.asList(line.strip().split("\\s+"));
    }

    @Override
    public void apply(String cgroupPath, CgroupResources r) throws IOException {
        CgroupPath path = CgroupPath.parse(cgroupPath);
        ResourceNames.validateHugepages(r);
        ResourceNames.validateUnified(r.unified());
        Optional<String> swapMax = CgroupV2Values.swapMax(r.memorySwapLimitBytes(), r.memoryLimitBytes());
        Path dir = path.under(mount);
        if (r.cpuShares() != 0) {
            CgroupFiles.write(dir.resolve("cpu.weight"), Long.toString(CgroupV2Values.cpuWeight(r.cpuShares())));
        }
        Optional<String> cpuMax = CgroupV2Values.cpuMax(r.cpuQuota(), r.cpuPeriod());
        if (cpuMax.isPresent()) {
            CgroupFiles.write(dir.resolve("cpu.max"), cpuMax.get());
        }
        if (!r.cpusetCpus().isEmpty()) {
            CgroupFiles.write(dir.resolve("cpuset.cpus"), r.cpusetCpus());
        }
        if (!r.cpusetMems().isEmpty()) {
            CgroupFiles.write(dir.resolve("cpuset.mems"), r.cpusetMems());
        }
        if (swapMax.isPresent()) {
            writeSwap(path, dir.resolve("memory.swap.max"), swapMax.get());
        }
        if (r.memoryLimitBytes() != 0) {
            CgroupFiles.write(dir.resolve("memory.max"), CgroupV2Values.memoryMax(r.memoryLimitBytes()));
        }
        if (r.pidsLimit() != 0) {
            CgroupFiles.write(dir.resolve("pids.max"), r.pidsLimit() < 0 ? "max" : Long.toString(r.pidsLimit()));
        }
        for (Map.Entry<String, Long> limit : r.hugepageLimits().entrySet()) {
            Path file = dir.resolve("hugetlb." + limit.getKey() + ".max");
            // kubelet sends a limit for every page size the machine has, hugetlb controller enabled or not
            if (Files.exists(file)) {
                CgroupFiles.write(file, Long.toString(limit.getValue()));
            } else {
                log.debug("cgroup {}: {} not set: hugetlb controller not enabled here", path, file.getFileName());
            }
        }
        // last, so a verbatim key wins over the value derived from the structured fields
        for (Map.Entry<String, String> entry : r.unified().entrySet()) {
            CgroupFiles.write(dir.resolve(entry.getKey()), entry.getValue());
        }
    }

    /** Without swap compiled in there is no memory.swap.max; "no swap" is then already the truth. */
    private static void writeSwap(CgroupPath path, Path file, String value) throws IOException {
        if (!Files.exists(file) && value.equals("0")) {
            log.debug("cgroup {}: no memory.swap.max (kernel without swap), swap limit 0 holds anyway", path);
            return;
        }
        CgroupFiles.write(file, value);
    }

    @Override
    public void killAll(String cgroupPath) throws IOException {
        CgroupPath path = CgroupPath.parseNonRoot(cgroupPath, "kill every process of");
        Path dir = path.under(mount);
        Set<Integer> before = CgroupTree.pidsInSubtree(dir);
        CgroupKiller.refuseSelf(cgroupPath, before);
        if (before.isEmpty()) {
            return;
        }
        Path kill = dir.resolve("cgroup.kill");
        if (Files.exists(kill)) {
            // the kernel kills the whole subtree atomically, forks in flight included (Linux 5.14+)
            CgroupFiles.write(kill, "1");
        } else {
            Path freeze = dir.resolve("cgroup.freeze");
            boolean frozen = Files.exists(freeze);
            if (frozen) {
                CgroupFiles.write(freeze, "1");
            }
            try {
                CgroupKiller.signalAll(path.toString(), CgroupTree.pidsInSubtree(dir));
            } finally {
                if (frozen) {
                    CgroupFiles.write(freeze, "0");
                }
            }
        }
        killer.killUntilEmpty(path.toString(), () -> CgroupTree.pidsInSubtree(dir), true);
        log.debug("cgroup {}: every process killed", path);
    }

    @Override
    public void remove(String cgroupPath) throws IOException {
        CgroupPath path = CgroupPath.parseNonRoot(cgroupPath, "remove");
        CgroupTree.remove(path.under(mount), path.toString(), System.nanoTime() + CgroupTree.BUSY_RETRY.toNanos());
        log.debug("cgroup {} removed", path);
    }

    @Override
    public boolean removeIfEmpty(String cgroupPath) throws IOException {
        Path dir = CgroupPath.parseNonRoot(cgroupPath, "remove").under(mount);
        return CgroupTree.isEmpty(dir) && CgroupTree.removeAlone(dir);
    }

    @Override
    public boolean exists(String cgroupPath) {
        return Files.isDirectory(CgroupPath.parse(cgroupPath).under(mount));
    }

    @Override
    public List<Integer> pids(String cgroupPath) throws IOException {
        CgroupPath path = CgroupPath.parse(cgroupPath);
        Path dir = path.under(mount);
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(path.toString(), null, "no such cgroup under " + mount);
        }
        return new ArrayList<>(CgroupFiles.readProcs(dir));
    }

    @Override
    public void addProcess(String cgroupPath, long pid) throws IOException {
        CgroupFiles.write(CgroupPath.parse(cgroupPath).under(mount).resolve("cgroup.procs"), Long.toString(pid));
    }

    @Override
    public CgroupStats stats(String cgroupPath) throws IOException {
        CgroupPath path = CgroupPath.parse(cgroupPath);
        Path dir = path.under(mount);
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(path.toString(), null, "no such cgroup under " + mount);
        }
        Instant now = Instant.now();
        long cpuMicros = CgroupFiles.readKeyed(dir.resolve("cpu.stat")).getOrDefault("usage_usec", 0L);
        long usage = Math.max(0, CgroupFiles.readLongOrZero(dir.resolve("memory.current")));
        Map<String, Long> memoryStat = CgroupFiles.readKeyed(dir.resolve("memory.stat"));
        long inactiveFile = memoryStat.getOrDefault("inactive_file", 0L);
        return new CgroupStats(
                now.getEpochSecond() * 1_000_000_000L + now.getNano(),
                cpuMicros * 1000,
                usage,
                Math.max(0, usage - inactiveFile),
                memoryStat.getOrDefault("anon", 0L),
                memoryStat.getOrDefault("pgfault", 0L),
                memoryStat.getOrDefault("pgmajfault", 0L),
                CgroupFiles.readKeyed(dir.resolve("memory.events")).getOrDefault("oom_kill", 0L),
                Math.max(0, CgroupFiles.readLongOrZero(dir.resolve("pids.current"))));
    }
}
