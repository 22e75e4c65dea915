package dev.berth.oci;

import dev.berth.sys.Errno;
import dev.berth.sys.InRootFiles;
import dev.berth.sys.SyscallException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Reads small files of a container's root filesystem as the container would see them. Image content is untrusted:
 * a symlink such as {@code /etc/passwd -> /etc/shadow} or {@code -> ../../../host/file} must resolve inside the
 * rootfs, never against the host's root. The kernel resolves the path in the rootfs (openat2 RESOLVE_IN_ROOT), which
 * also holds against a running container (exec's user lookup) swapping a directory for a symlink meanwhile; on a
 * kernel without openat2 (before 5.6) every link is followed by hand with the rootfs as "/".
 */
final class RootfsFiles {

    private static final long MAX_BYTES = 4L << 20; // a passwd file bigger than this is an attack, not a config

    private final RootfsPath rootfs;
    private final InRootFiles inRoot = new InRootFiles();

    RootfsFiles(Path rootfs) {
        this.rootfs = new RootfsPath(rootfs);
    }

    /** The file's text, or empty when it (or a directory on its way) does not exist or is not a regular file. */
    Optional<String> readSmallFile(String containerPath) throws IOException {
        try {
            return inRoot.readRegularFile(rootfs.root(), containerPath, MAX_BYTES)
                    .map(bytes -> new String(bytes, StandardCharsets.UTF_8));
        } catch (SyscallException e) {
            if (e.errno() != Errno.ENOSYS) {
                throw e;
            }
        }
        Path resolved = rootfs.resolve(containerPath);
        if (!Files.isRegularFile(resolved, LinkOption.NOFOLLOW_LINKS)) {
            // a FIFO or device planted at /etc/passwd would block or never end
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(resolved, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IOException(containerPath + " in the container image is larger than " + MAX_BYTES + " bytes");
            }
            return Optional.of(new String(bytes, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }
}
