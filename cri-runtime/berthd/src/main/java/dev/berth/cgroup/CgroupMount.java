package dev.berth.cgroup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One cgroup file system mount from /proc/self/mountinfo. {@code controllers} are the v1 controllers the
 * hierarchy carries ("cpu", "cpuacct", named hierarchies as "name=systemd"); empty for cgroup2.
 */
public record CgroupMount(Path mountPoint, boolean cgroup2, Set<String> controllers) {

    private static final Set<String> NOT_CONTROLLERS = Set.of(
            "rw",
            "ro",
            "nosuid",
            "nodev",
            "noexec",
            "relatime",
            "noatime",
            "nodiratime",
            "strictatime",
            "sync",
            "dirsync",
            "mand",
            "xattr",
            "noprefix",
            "clone_children",
            "cpuset_v2_mode",
            "nsdelegate",
            "memory_localevents",
            "memory_recursiveprot",
            "memory_hugetlb_accounting",
            "favordynmods",
            "pids_localevents");

    public CgroupMount {
        controllers = Set.copyOf(controllers);
    }

    /** Every cgroup and cgroup2 mount, in mount order. Lines of other file systems are skipped. */
    public static List<CgroupMount> parseMountinfo(String mountinfo) {
        List<CgroupMount> mounts = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            // id parent major:minor root mountpoint options [optional fields...] - fstype source superoptions
            int separator = line.indexOf(" - ");
            if (separator < 0) {
                continue;
            }
            String[] head = line.substring(0, separator).split(" ");
            String[] tail = line.substring(separator + 3).split(" ");
            if (head.length < 5 || tail.length < 3) {
                continue;
            }
            String fsType = tail[0];
            if (!fsType.equals("cgroup") && !fsType.equals("cgroup2")) {
                continue;
            }
            Path mountPoint = Path.of(unescape(head[4]));
            Set<String> controllers = new LinkedHashSet<>();
            if (fsType.equals("cgroup")) {
                for (String option : tail[2].split(",")) {
                    if (!NOT_CONTROLLERS.contains(option) && !option.startsWith("release_agent=")) {
                        controllers.add(option);
                    }
                }
            }
            mounts.add(new CgroupMount(mountPoint, fsType.equals("cgroup2"), controllers));
        }
        return mounts;
    }

    /** mountinfo escapes space, tab, newline and backslash as \ooo octal. */
    private static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
