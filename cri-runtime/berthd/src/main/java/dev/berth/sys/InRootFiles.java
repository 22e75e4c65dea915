package dev.berth.sys;

import com.sun.jna.Function;
import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads a file of a directory tree that somebody else controls (a running container's root filesystem) with the
 * kernel resolving the path inside it: openat2(2) with RESOLVE_IN_ROOT treats the directory as "/" for every
 * component and symlink, atomically, so a process in the container that swaps a directory for a symlink between a
 * check and the open cannot make berthd read a host file (which resolving links by hand cannot promise).
 */
public final class InRootFiles {

    /** openat2 came in Linux 5.6, after the syscall tables were unified: one number on x86_64 and aarch64. */
    private static final long SYS_OPENAT2 = 437;

    private static final long O_RDONLY = 0;
    private static final long O_NONBLOCK = 04000; // a FIFO planted at the path must not block the open
    private static final long O_NOCTTY = 0400;
    private static final long O_DIRECTORY = 0200000;
    private static final long O_CLOEXEC = 02000000;
    private static final long O_PATH = 010000000;
    private static final long RESOLVE_NO_MAGICLINKS = 0x02;
    private static final long RESOLVE_IN_ROOT = 0x10;
    private static final long OPEN_HOW_SIZE = 24;
    private static final long AT_FDCWD = -100;
    private static final int ELOOP = 40;

    private final Function syscall = CLibrary.get().getFunction("syscall", Function.THROW_LAST_ERROR);

    /**
     * The bytes of {@code path} (absolute or relative, as seen from {@code root}) when it is a regular file of at
     * most {@code maxBytes}; empty when it, or a directory on its way, does not exist or it is not a regular
     * file. Fails with errno ENOSYS on kernels without openat2; a symlink loop and larger files fail too.
     */
    public Optional<byte[]> readRegularFile(Path root, String path, long maxBytes) throws IOException {
        int rootFd = open(AT_FDCWD, root.toString(), O_PATH | O_DIRECTORY | O_CLOEXEC, 0, root);
        try {
            int fd;
            try {
                fd = open(
                        rootFd,
                        path.startsWith("/") ? path.substring(1) : path,
                        O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC,
                        RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
                        root.resolve(path.startsWith("/") ? path.substring(1) : path));
            } catch (SyscallException e) {
                if (e.errno() == Errno.ENOENT || e.errno() == Errno.ENOTDIR) {
                    return Optional.empty();
                }
                if (e.errno() == ELOOP) {
                    throw new IOException("too many levels of symbolic links resolving " + path + " in " + root, e);
                }
                throw e;
            }
            try {
                // the descriptor's own link names the opened file itself, whatever path led to it
                if (!Files.isRegularFile(Path.of("/proc/self/fd/" + fd))) {
                    return Optional.empty();
                }
                return Optional.of(readAll(fd, path, maxBytes));
            } finally {
                LibC.close(fd);
            }
        } finally {
            LibC.close(rootFd);
        }
    }

    private byte[] readAll(int fd, String path, long maxBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        while (true) {
            long n;
            try {
                n = LibC.read(fd, buffer, buffer.length);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == Errno.EINTR) {
                    continue;
                }
                throw new SyscallException("read", Path.of(path), e.getErrorCode(), LibC.strerror(e.getErrorCode()));
            }
            if (n <= 0) {
                return out.toByteArray();
            }
            if (out.size() + n > maxBytes) {
                throw new IOException(path + " is larger than " + maxBytes + " bytes");
            }
            out.write(buffer, 0, (int) n);
        }
    }

    private int open(long dirFd, String path, long flags, long resolve, Path shown) throws SyscallException {
        byte[] name = MountCalls.c(path);
        try (Memory how = new Memory(OPEN_HOW_SIZE)) {
            how.setLong(0, flags);
            how.setLong(8, 0);
            how.setLong(16, resolve);
            return (int) syscall.invokeLong(new Object[] {SYS_OPENAT2, dirFd, name, how, OPEN_HOW_SIZE});
        } catch (LastErrorException e) {
            throw new SyscallException("openat2", shown, e.getErrorCode(), LibC.strerror(e.getErrorCode()));
        }
    }
}
