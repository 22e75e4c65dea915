package dev.berth.build.layer;

import dev.berth.sys.DeviceNumber;
import dev.berth.sys.Syscalls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Writes an overlayfs upper directory as an OCI layer's entries, names sorted in every directory:
 * whiteouts (0:0 character devices) become {@code .wh.<name>} files, a directory marked opaque
 * ({@code trusted.overlay.opaque=y}, or {@code user.overlay.opaque} on an unprivileged mount) is followed by
 * its {@code .wh..wh..opq}; a file met again by inode becomes a hard link to its first name; overlayfs's
 * own xattrs are left out, the others kept. Sockets are skipped, as Docker does.
 */
final class UpperDirArchiver {

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFIFO = 0010000;
    private static final List<String> OPAQUE_XATTRS = List.of("trusted.overlay.opaque", "user.overlay.opaque");
    private static final String ATTRIBUTES = "unix:mode,uid,gid,ino,dev,rdev,nlink,size,lastModifiedTime";

    private record Inode(long device, long inode) {}

    private final Syscalls sys;
    private final TarWriter tar;
    private final OptionalLong sourceDateEpoch;
    private final Map<Inode, String> firstNames = new HashMap<>();

    UpperDirArchiver(Syscalls sys, TarWriter tar, OptionalLong sourceDateEpoch) {
        this.sys = sys;
        this.tar = tar;
        this.sourceDateEpoch = sourceDateEpoch;
    }

    void archive(Path upper) throws IOException {
        directory(upper, "");
    }

    private void directory(Path dir, String prefix) throws IOException {
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.sorted((a, b) ->
                            a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .toList();
        }
        for (Path child : children) {
            entry(child, prefix + child.getFileName());
        }
    }

    private void entry(Path path, String name) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        int mode = (int) a.get("mode");
        long uid = Integer.toUnsignedLong((int) a.get("uid"));
        long gid = Integer.toUnsignedLong((int) a.get("gid"));
        long mtime = mtime((FileTime) a.get("lastModifiedTime"));
        DeviceNumber rdev = DeviceNumber.decode((long) a.get("rdev"));
        switch (mode & S_IFMT) {
            case S_IFCHR -> {
                if (rdev.equals(DeviceNumber.NONE)) {
                    tar.write(header(whiteout(name), TarHeader.REGULAR, mode, uid, gid, 0, mtime, "", List.of()), null);
                } else {
                    device(path, name, TarHeader.CHAR_DEVICE, mode, uid, gid, mtime, rdev);
                }
            }
            case S_IFBLK -> device(path, name, TarHeader.BLOCK_DEVICE, mode, uid, gid, mtime, rdev);
            case S_IFIFO -> tar.write(header(name, TarHeader.FIFO, mode, uid, gid, 0, mtime, "", xattrs(path)), null);
            case S_IFLNK -> {
                String target = Files.readSymbolicLink(path).toString();
                tar.write(header(name, TarHeader.SYMLINK, mode, uid, gid, 0, mtime, target, xattrs(path)), null);
            }
            case S_IFDIR -> {
                tar.write(header(name + "/", TarHeader.DIRECTORY, mode, uid, gid, 0, mtime, "", xattrs(path)), null);
                if (isOpaque(path)) {
                    tar.write(
                            header(name + "/.wh..wh..opq", TarHeader.REGULAR, 0, uid, gid, 0, mtime, "", List.of()),
                            null);
                }
                directory(path, name + "/");
            }
            case S_IFREG -> file(path, name, a, mode, uid, gid, mtime);
            case S_IFSOCK -> {}
            default -> throw new IOException("unknown file type " + Integer.toOctalString(mode) + " of " + path);
        }
    }

    private void file(Path path, String name, Map<String, Object> a, int mode, long uid, long gid, long mtime)
            throws IOException {
        if ((int) a.get("nlink") > 1) {
            Inode inode = new Inode((long) a.get("dev"), (long) a.get("ino"));
            String first = firstNames.putIfAbsent(inode, name);
            if (first != null) {
                tar.write(header(name, TarHeader.HARDLINK, mode, uid, gid, 0, mtime, first, List.of()), null);
                return;
            }
        }
        long size = (long) a.get("size");
        try (InputStream content = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
            tar.write(header(name, TarHeader.REGULAR, mode, uid, gid, size, mtime, "", xattrs(path)), content);
        }
    }

    private void device(Path path, String name, byte type, int mode, long uid, long gid, long mtime, DeviceNumber rdev)
            throws IOException {
        tar.write(
                new TarHeader(name, type, mode, uid, gid, 0, mtime, "", rdev.major(), rdev.minor(), xattrs(path)),
                null);
    }

    private static TarHeader header(
            String name,
            byte type,
            int mode,
            long uid,
            long gid,
            long size,
            long mtime,
            String link,
            List<TarHeader.Xattr> xattrs) {
        return new TarHeader(name, type, mode, uid, gid, size, mtime, link, 0, 0, xattrs);
    }

    private static String whiteout(String name) {
        int slash = name.lastIndexOf('/');
        return name.substring(0, slash + 1) + ".wh." + name.substring(slash + 1);
    }

    private boolean isOpaque(Path dir) throws IOException {
        for (String xattr : OPAQUE_XATTRS) {
            Optional<byte[]> value = sys.lgetxattr(dir, xattr);
            if (value.isPresent() && Arrays.equals(value.get(), "y".getBytes(StandardCharsets.US_ASCII))) {
                return true;
            }
        }
        return false;
    }

    /** The file's xattrs but overlayfs's own, sorted by name. */
    private List<TarHeader.Xattr> xattrs(Path path) throws IOException {
        List<TarHeader.Xattr> xattrs = new ArrayList<>();
        for (String name : sys.llistxattr(path).stream().sorted().toList()) {
            if (name.startsWith("trusted.overlay.") || name.startsWith("user.overlay.")) {
                continue;
            }
            Optional<byte[]> value = sys.lgetxattr(path, name);
            value.ifPresent(v -> xattrs.add(new TarHeader.Xattr(name, v)));
        }
        return xattrs;
    }

    private long mtime(FileTime time) {
        long seconds = Math.max(0, time.toInstant().getEpochSecond());
        return sourceDateEpoch.isPresent() ? Math.min(seconds, sourceDateEpoch.getAsLong()) : seconds;
    }
}
