package dev.berth.snapshot;

import dev.berth.sys.DeviceNumber;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;

/** lstat(2) of a path in the tests' words. */
record Stat(int type, int permissions, int uid, int gid, long inode, int links, DeviceNumber device, Instant mtime) {

    static final int DIRECTORY = 0040000;
    static final int REGULAR = 0100000;
    static final int SYMLINK = 0120000;
    static final int CHAR_DEVICE = 0020000;
    static final int BLOCK_DEVICE = 0060000;
    static final int FIFO = 0010000;

    static Stat of(Path path) {
        try {
            var a = Files.readAttributes(
                    path, "unix:mode,uid,gid,ino,nlink,rdev,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
            int mode = (int) a.get("mode");
            return new Stat(
                    mode & 0170000,
                    mode & 07777,
                    (int) a.get("uid"),
                    (int) a.get("gid"),
                    (long) a.get("ino"),
                    (int) a.get("nlink"),
                    DeviceNumber.decode((long) a.get("rdev")),
                    ((java.nio.file.attribute.FileTime) a.get("lastModifiedTime")).toInstant());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
