package dev.berth.cri.validation;

import dev.berth.cgroup.ResourceNames;
import dev.berth.cri.v1.HugepageLimit;
import dev.berth.cri.v1.LinuxContainerResources;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * LinuxContainerResources, the same for a container, a pod's resources and overhead and their updates: 0 is
 * "not set" everywhere; otherwise each value must be one the kernel takes (runc's and kubelet's ranges), so a
 * bad one is refused here rather than by a cgroup write half-way through a create.
 */
final class ResourceChecks {

    /** The CFS period the kernel accepts, in µs (1 ms to 1 s). */
    static final long MIN_CPU_PERIOD = 1_000;

    static final long MAX_CPU_PERIOD = 1_000_000;
    /** The smallest CFS quota (1 ms, kubelet's minQuotaPeriod) and the kernel's largest (2^44-1 µs); -1 is "none". */
    static final long MIN_CPU_QUOTA = 1_000;

    static final long MAX_CPU_QUOTA = (1L << 44) - 1;
    /** cpu.shares as cgroup v1 keeps them and runc maps them onto v2 weights. */
    static final long MIN_CPU_SHARES = 2;

    static final long MAX_CPU_SHARES = 262_144;
    /** Docker's minimum: below it runc's own init cannot start inside the cgroup. -1 is "unlimited". */
    static final long MIN_MEMORY_LIMIT = 6L * 1024 * 1024;

    static final long MIN_OOM_SCORE_ADJ = -1000;
    static final long MAX_OOM_SCORE_ADJ = 1000;
    /**
     * CPU and memory node numbers, as Linux's cpulist format writes them ("0-3,8,10-11"): each part alone, as a
     * regex over the whole list recurses once per repetition and a few KiB of it overflow a thread's stack.
     */
    private static final Pattern CPU_LIST_PART = Pattern.compile("\\d{1,5}(-\\d{1,5})?");

    private static final int MAX_CPUSET_BYTES = 4096;

    private ResourceChecks() {}

    /** A container's or a pod's limits. */
    static void check(String field, LinuxContainerResources r) throws InvalidRequestException {
        long period = r.getCpuPeriod();
        if (period != 0) {
            Check.range(field + ".cpu_period", period, MIN_CPU_PERIOD, MAX_CPU_PERIOD);
        }
        long quota = r.getCpuQuota();
        if (quota != 0 && quota != -1) {
            Check.range(field + ".cpu_quota", quota, MIN_CPU_QUOTA, MAX_CPU_QUOTA);
        }
        if (r.getCpuShares() != 0) {
            Check.range(field + ".cpu_shares", r.getCpuShares(), MIN_CPU_SHARES, MAX_CPU_SHARES);
        }
        long memory = r.getMemoryLimitInBytes();
        if (memory != 0 && memory != -1) {
            Check.range(field + ".memory_limit_in_bytes", memory, MIN_MEMORY_LIMIT, Long.MAX_VALUE);
        }
        long swap = r.getMemorySwapLimitInBytes();
        if (swap != 0 && swap != -1) {
            if (memory <= 0) {
                throw new InvalidRequestException(
                        field + ".memory_swap_limit_in_bytes", swap + " needs a memory_limit_in_bytes to go with");
            }
            Check.range(field + ".memory_swap_limit_in_bytes", swap, memory, Long.MAX_VALUE);
        }
        checkTheRest(field, r);
    }

    /**
     * A pod's overhead (UpdatePodSandboxResources), which is added to its resources: small amounts are its point,
     * so only the signs and the kernel's maxima apply.
     */
    static void checkOverhead(String field, LinuxContainerResources r) throws InvalidRequestException {
        if (r.getCpuPeriod() != 0) {
            Check.range(field + ".cpu_period", r.getCpuPeriod(), MIN_CPU_PERIOD, MAX_CPU_PERIOD);
        }
        Check.range(field + ".cpu_quota", r.getCpuQuota(), 0, MAX_CPU_QUOTA);
        Check.range(field + ".cpu_shares", r.getCpuShares(), 0, MAX_CPU_SHARES);
        Check.range(field + ".memory_limit_in_bytes", r.getMemoryLimitInBytes(), 0, Long.MAX_VALUE);
        Check.range(field + ".memory_swap_limit_in_bytes", r.getMemorySwapLimitInBytes(), 0, Long.MAX_VALUE);
        checkTheRest(field, r);
    }

    private static void checkTheRest(String field, LinuxContainerResources r) throws InvalidRequestException {
        Check.range(field + ".oom_score_adj", r.getOomScoreAdj(), MIN_OOM_SCORE_ADJ, MAX_OOM_SCORE_ADJ);
        cpuList(field + ".cpuset_cpus", r.getCpusetCpus());
        cpuList(field + ".cpuset_mems", r.getCpusetMems());
        Check.count(field + ".hugepage_limits", r.getHugepageLimitsCount(), RequestLimits.MAX_HUGEPAGE_LIMITS);
        for (int i = 0; i < r.getHugepageLimitsCount(); i++) {
            HugepageLimit limit = r.getHugepageLimits(i);
            String size = field + ".hugepage_limits[" + i + "].page_size";
            Check.text(size, limit.getPageSize(), RequestLimits.MAX_TOKEN_BYTES);
            if (!ResourceNames.isHugepageSize(limit.getPageSize())) {
                throw new InvalidRequestException(
                        size, Shown.of(limit.getPageSize()) + " is not a page size such as 2MB or 1GB");
            }
            if (limit.getLimit() < 0) {
                // uint64 on the wire: past 2^63 it arrives negative, and no cgroup file takes it
                throw new InvalidRequestException(field + ".hugepage_limits[" + i + "].limit", "is beyond 2^63-1");
            }
        }
        Check.count(field + ".unified", r.getUnifiedCount(), RequestLimits.MAX_UNIFIED);
        for (Map.Entry<String, String> entry : r.getUnifiedMap().entrySet()) {
            Check.text(field + ".unified key", entry.getKey(), RequestLimits.MAX_TOKEN_BYTES);
            if (!ResourceNames.isUnifiedKey(entry.getKey())) {
                throw new InvalidRequestException(
                        field + ".unified",
                        "key " + Shown.of(entry.getKey()) + " is not a cgroup control file name such as memory.high");
            }
            Check.text(
                    field + ".unified[" + Shown.of(entry.getKey()) + "]",
                    entry.getValue(),
                    RequestLimits.MAX_KERNEL_VALUE_BYTES);
        }
    }

    /** Empty (unset), or a list of numbers and ascending ranges. */
    static void cpuList(String field, String list) throws InvalidRequestException {
        if (list.isEmpty()) {
            return;
        }
        Check.text(field, list, MAX_CPUSET_BYTES);
        for (String part : list.split(",", -1)) {
            if (!CPU_LIST_PART.matcher(part).matches()) {
                throw new InvalidRequestException(field, Shown.of(list) + " is not a list such as 0-3,8");
            }
            int dash = part.indexOf('-');
            if (dash > 0 && Integer.parseInt(part.substring(0, dash)) > Integer.parseInt(part.substring(dash + 1))) {
                throw new InvalidRequestException(field, "range " + part + " runs backwards");
            }
        }
    }
}
