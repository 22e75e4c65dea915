package dev.berth.cgroup;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * The names a client's resources put into cgroup file names: hugepage sizes ("2MB", "1GB", "64KB" as the kernel
 * spells them in hugetlb files) and cgroup v2 "unified" keys (a control file of the cgroup itself). The cgroup
 * managers check them before writing and the CRI edge before any work, for pods and containers alike.
 */
public final class ResourceNames {

    private static final Pattern HUGEPAGE_SIZE = Pattern.compile("[1-9][0-9]*[KMGTP]B");

    private ResourceNames() {}

    /** A page-size name, which can never smuggle a path into a file name. */
    public static boolean isHugepageSize(String size) {
        return HUGEPAGE_SIZE.matcher(size).matches();
    }

    /** A control file name such as memory.high: nothing in another directory, no hidden file. */
    public static boolean isUnifiedKey(String key) {
        return !key.isEmpty()
                && !key.contains("/")
                && !key.startsWith(".")
                && key.indexOf('\0') < 0
                && key.contains(".");
    }

    static void validateHugepages(CgroupResources r) {
        for (String size : r.hugepageLimits().keySet()) {
            if (!isHugepageSize(size)) {
                throw new IllegalArgumentException("invalid hugepage size '" + size + "' (expected e.g. 2MB or 1GB)");
            }
        }
    }

    static void validateUnified(Map<String, String> unified) {
        for (String key : unified.keySet()) {
            if (!isUnifiedKey(key)) {
                throw new IllegalArgumentException("invalid cgroup v2 'unified' key '" + key
                        + "' (expected a control file name such as memory.high)");
            }
        }
    }
}
