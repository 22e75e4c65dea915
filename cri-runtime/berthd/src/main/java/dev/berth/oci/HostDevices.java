package dev.berth.oci;

import dev.berth.sys.DeviceNumber;
import dev.berth.sys.Syscalls;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads device nodes from the host the way containerd's {@code oci.WithDevices} does: a node is taken as it is, a
 * directory gives every char and block device below it (symlinks, other files and runtime-owned directories such
 * as {@code pts} or {@code shm} are skipped), each named by its path relative to the directory.
 */
final class HostDevices {

    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;

    // the container gets its own of these (runc's devpts, /dev/shm, /proc/self/fd); .lxc/.udev hold no devices
    private static final Set<String> SKIPPED_DIRS =
            Set.of("pts", "shm", "fd", "mqueue", ".lxc", ".lxd-mounts", ".udev");

    private HostDevices() {}

    /** The node itself, or nothing when the file is neither a char nor a block device; never follows a symlink. */
    static Optional<DeviceNode> node(Path hostPath, String containerPath) throws IOException {
        Map<String, Object> stat = stat(hostPath);
        int mode = (Integer) stat.get("mode");
        char type = switch (mode & S_IFMT) {
            case Syscalls.S_IFCHR -> 'c';
            case Syscalls.S_IFBLK -> 'b';
            default -> 0;
        };
        DeviceNumber number = DeviceNumber.decode((Long) stat.get("rdev"));
        if (type == 0 || number.equals(DeviceNumber.NONE)) { // 0:0 is an overlay whiteout, not a device
            return Optional.empty();
        }
        return Optional.of(new DeviceNode(
                containerPath, type, number, mode & 07777, (Integer) stat.get("uid"), (Integer) stat.get("gid")));
    }

    static boolean isDirectory(Path hostPath) throws IOException {
        return ((Integer) stat(hostPath).get("mode") & S_IFMT) == S_IFDIR;
    }

    /** Every device below {@code dir}, in name order, at {@code containerDir} plus its relative path. */
    static List<DeviceNode> below(Path dir, String containerDir) throws IOException {
        List<DeviceNode> out = new ArrayList<>();
        collect(dir, containerDir, out);
        return out;
    }

    private static void collect(Path dir, String containerDir, List<DeviceNode> out) throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(entries::add);
        }
        entries.sort(null);
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            String containerPath = containerDir.endsWith("/") ? containerDir + name : containerDir + "/" + name;
            try {
                if (isDirectory(entry)) {
                    if (!SKIPPED_DIRS.contains(name)) {
                        collect(entry, containerPath, out);
                    }
                } else if (!name.equals("console")) { // runc sets up the container's own console
                    node(entry, containerPath).ifPresent(out::add);
                }
            } catch (NoSuchFileException e) {
                // removed while we walked (a hot-unplugged device): nothing to add
            }
        }
    }

    private static Map<String, Object> stat(Path path) throws IOException {
        return Files.readAttributes(path, "unix:mode,rdev,uid,gid", LinkOption.NOFOLLOW_LINKS);
    }
}
