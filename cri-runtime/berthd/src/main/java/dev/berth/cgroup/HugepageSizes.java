package dev.berth.cgroup;

import java.util.Map;
import java.util.regex.Pattern;

/** Page-size names as the kernel spells them in hugetlb file names ("2MB", "1GB", "64KB"). */
final class HugepageSizes {

    private static final Pattern SIZE = Pattern.compile("[1-9][0-9]*[KMGTP]B");

    private HugepageSizes() {}

    /** Rejects a size that is not a page-size name, so it can never smuggle a path into a file name. */
    static void validate(Map<String, Long> limits) {
        for (String size : limits.keySet()) {
            if (!SIZE.matcher(size).matches()) {
                throw new IllegalArgumentException("invalid hugepage size '" + size + "' (expected e.g. 2MB or 1GB)");
            }
        }
    }
}
