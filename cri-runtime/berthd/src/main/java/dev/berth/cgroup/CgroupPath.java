package dev.berth.cgroup;

import java.nio.file.Path;
import java.util.List;

/**
 * A validated cgroup path such as {@code /kubepods/besteffort/pod123/abc}: absolute, no "." or ".."
 * segments, so it can never name a directory outside the hierarchy it is resolved under.
 */
record CgroupPath(List<String> segments) {

    CgroupPath {
        segments = List.copyOf(segments);
    }

    static CgroupPath parse(String path) {
        if (path == null || path.isEmpty() || !path.startsWith("/")) {
            throw new IllegalArgumentException("cgroup path must be absolute (start with '/'): '" + path + "'");
        }
        if (path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("cgroup path contains a NUL byte: '" + path + "'");
        }
        List<String> segments = java.util.Arrays.stream(path.split("/"))
                .filter(s -> !s.isEmpty())
                .toList();
        for (String segment : segments) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("cgroup path must not contain '.' or '..': '" + path + "'");
            }
        }
        return new CgroupPath(segments);
    }

    /** Like {@link #parse} but refuses the root, for operations that must never touch the whole hierarchy. */
    static CgroupPath parseNonRoot(String path, String operation) {
        CgroupPath parsed = parse(path);
        if (parsed.isRoot()) {
            throw new IllegalArgumentException("refusing to " + operation + " the root cgroup: '" + path + "'");
        }
        return parsed;
    }

    boolean isRoot() {
        return segments.isEmpty();
    }

    Path under(Path mount) {
        Path result = mount;
        for (String segment : segments) {
            result = result.resolve(segment);
        }
        return result;
    }

    @Override
    public String toString() {
        return "/" + String.join("/", segments);
    }
}
