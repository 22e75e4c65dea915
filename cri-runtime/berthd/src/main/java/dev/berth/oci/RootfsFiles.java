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
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Reads small files of a container's root filesystem as the container would see them. Image content is untrusted:
 * a symlink such as {@code /etc/passwd -> /etc/shadow} or {@code -> ../../../host/file} must resolve inside the
 * rootfs, never against the host's root. The kernel resolves the path in the rootfs (openat2 RESOLVE_IN_ROOT), which
 * also holds against a running container (exec's user lookup) swapping a directory for a symlink meanwhile; on a
 * kernel without openat2 (before 5.6) every link is followed by hand with the rootfs as "/".
 */
final class RootfsFiles {

    private static final int MAX_LINKS = 40; // the kernel's own limit (ELOOP)
    private static final long MAX_BYTES = 4L << 20; // a passwd file bigger than this is an attack, not a config

    private final Path rootfs;
    private final InRootFiles inRoot = new InRootFiles();

    RootfsFiles(Path rootfs) {
        this.rootfs = rootfs.toAbsolutePath().normalize();
    }

    /** The file's text, or empty when it (or a directory on its way) does not exist or is not a regular file. */
    Optional<String> readSmallFile(String containerPath) throws IOException {
        try {
            return inRoot.readRegularFile(rootfs, containerPath, MAX_BYTES)
                    .map(bytes -> new String(bytes, StandardCharsets.UTF_8));
        } catch (SyscallException e) {
            if (e.errno() != Errno.ENOSYS) {
                throw e;
            }
        }
        Optional<Path> resolved = resolve(containerPath);
        if (resolved.isEmpty() || !Files.isRegularFile(resolved.get(), LinkOption.NOFOLLOW_LINKS)) {
            // a FIFO or device planted at /etc/passwd would block or never end
            return Optional.empty();
        }
        try (InputStream in =
                Files.newInputStream(resolved.get(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IOException(containerPath + " in the container image is larger than " + MAX_BYTES + " bytes");
            }
            return Optional.of(new String(bytes, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** The host path of a container path with every symlink resolved inside the rootfs; empty if it does not exist. */
    Optional<Path> resolve(String containerPath) throws IOException {
        Deque<String> pending = new ArrayDeque<>();
        push(pending, containerPath);
        Deque<String> resolved = new ArrayDeque<>();
        int links = 0;
        while (!pending.isEmpty()) {
            String part = pending.pop();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                resolved.pollLast(); // ".." at the rootfs' root stays at the root, as in a chroot
                continue;
            }
            Path candidate = hostPath(resolved).resolve(part);
            if (Files.isSymbolicLink(candidate)) {
                if (++links > MAX_LINKS) {
                    throw new IOException(
                            "too many levels of symbolic links resolving " + containerPath + " in the rootfs");
                }
                String target = Files.readSymbolicLink(candidate).toString();
                if (target.startsWith("/")) {
                    resolved.clear();
                }
                push(pending, target);
                continue;
            }
            if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            resolved.addLast(part);
        }
        return Optional.of(hostPath(resolved));
    }

    private static void push(Deque<String> pending, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            pending.push(parts[i]);
        }
    }

    private Path hostPath(Deque<String> parts) {
        Path path = rootfs;
        for (String part : parts) {
            path = path.resolve(part);
        }
        return path;
    }
}
