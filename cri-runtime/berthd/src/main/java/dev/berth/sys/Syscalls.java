package dev.berth.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * The file-system system calls the JDK does not offer (device nodes, raw xattrs, ownership and
 * nanosecond times of symlinks, setuid bits). Every native call of berthd goes through this package;
 * callers get an instance by constructor injection. Failures are {@link SyscallException}s naming the
 * call, the path and {@code strerror(errno)}; a name the file-name charset cannot encode fails with a
 * {@link CharacterCodingException} before any call.
 *
 * <p>Paths are encoded to bytes the way the JDK encodes file names ({@code sun.jnu.encoding}), so a
 * path created with {@code java.nio.file} and one passed here name the same file.
 */
public final class Syscalls {

    public static final int S_IFIFO = 0010000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFBLK = 0060000;

    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int XATTR_READ_BUFFER = 64 * 1024;

    private final Charset fileNameCharset;
    private final Mknod mknod;

    public Syscalls() {
        if (Native.LONG_SIZE != 8) {
            throw new UnsupportedOperationException("berthd's native calls assume a 64-bit Linux (time_t, size_t)");
        }
        this.fileNameCharset = jdkFileNameCharset();
        this.mknod = new Mknod();
    }

    /** The charset the JDK uses for file names; names it cannot encode cannot be created through java.nio either. */
    public Charset fileNameCharset() {
        return fileNameCharset;
    }

    private static Charset jdkFileNameCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /** mknod(2); {@code mode} carries the file type ({@link #S_IFCHR}, {@link #S_IFBLK}, {@link #S_IFIFO}). */
    public void mknod(Path path, int mode, DeviceNumber device) throws IOException {
        try {
            mknod.call(cString(path), mode, device.encode());
        } catch (LastErrorException e) {
            throw failure("mknod", path, e);
        }
    }

    /** lchown(2): a symlink itself, never its target. */
    public void lchown(Path path, int uid, int gid) throws IOException {
        try {
            LibC.lchown(cString(path), uid, gid);
        } catch (LastErrorException e) {
            throw failure("lchown", path, e);
        }
    }

    /**
     * chmod(2) with all twelve permission bits (setuid, setgid, sticky included). Follows symlinks, as
     * Linux cannot change a symlink's mode: never call it on one.
     */
    public void chmod(Path path, int mode) throws IOException {
        try {
            LibC.chmod(cString(path), mode & 07777);
        } catch (LastErrorException e) {
            throw failure("chmod", path, e);
        }
    }

    /** symlink(2) with the target stored byte for byte (java.nio would normalise it as a path). */
    public void symlink(String target, Path link) throws IOException {
        try {
            LibC.symlink(cString(target), cString(link));
        } catch (LastErrorException e) {
            throw failure("symlink", link, e);
        }
    }

    /** utimensat(2) with AT_SYMLINK_NOFOLLOW: sets a symlink's own times, in nanoseconds. */
    public void setTimesNoFollow(Path path, long atimeSeconds, long atimeNanos, long mtimeSeconds, long mtimeNanos)
            throws IOException {
        try {
            LibC.utimensat(
                    AT_FDCWD,
                    cString(path),
                    new long[] {atimeSeconds, atimeNanos, mtimeSeconds, mtimeNanos},
                    AT_SYMLINK_NOFOLLOW);
        } catch (LastErrorException e) {
            throw failure("utimensat", path, e);
        }
    }

    /** lsetxattr(2): on a symlink, the symlink's own attribute. */
    public void lsetxattr(Path path, String name, byte[] value) throws IOException {
        try {
            LibC.lsetxattr(cString(path), cString(name), value, value.length, 0);
        } catch (LastErrorException e) {
            throw failure("lsetxattr " + name, path, e);
        }
    }

    /** lgetxattr(2); empty when the attribute is not set. */
    public Optional<byte[]> lgetxattr(Path path, String name) throws IOException {
        byte[] encodedPath = cString(path);
        byte[] encodedName = cString(name);
        byte[] buffer = new byte[XATTR_READ_BUFFER];
        try {
            long size = LibC.lgetxattr(encodedPath, encodedName, buffer, buffer.length);
            return Optional.of(java.util.Arrays.copyOf(buffer, (int) size));
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.ENODATA) {
                return Optional.empty();
            }
            throw failure("lgetxattr " + name, path, e);
        }
    }

    /**
     * llistxattr(2): the names of a file's (a symlink's own) extended attributes, in the kernel's order;
     * empty where the file system has none or does not support them.
     */
    public List<String> llistxattr(Path path) throws IOException {
        byte[] buffer = new byte[XATTR_READ_BUFFER];
        long size;
        try {
            size = LibC.llistxattr(cString(path), buffer, buffer.length);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.ENOTSUP) {
                return List.of();
            }
            throw failure("llistxattr", path, e);
        }
        List<String> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < size; i++) {
            if (buffer[i] == 0) {
                if (i > start) {
                    names.add(new String(buffer, start, i - start, fileNameCharset));
                }
                start = i + 1;
            }
        }
        return names;
    }

    public int geteuid() {
        return LibC.geteuid();
    }

    public int getegid() {
        return LibC.getegid();
    }

    public boolean isRoot() {
        return LibC.geteuid() == 0;
    }

    /**
     * The process's umask, read from {@code /proc/self/status} (Linux 4.7+) because umask(2) can only be
     * read by changing it; empty when the kernel does not say.
     */
    public OptionalInt umask() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            return lines.filter(line -> line.startsWith("Umask:"))
                    .mapToInt(line ->
                            Integer.parseInt(line.substring("Umask:".length()).trim(), 8))
                    .findFirst();
        } catch (IOException | UncheckedIOException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private static SyscallException failure(String call, Path path, LastErrorException e) {
        int errno = e.getErrorCode();
        return new SyscallException(call, path, errno, LibC.strerror(errno));
    }

    private byte[] cString(Path path) throws CharacterCodingException {
        return cString(path.toString());
    }

    /**
     * NUL-terminated bytes; one allocation for the common all-ASCII name. A name the JDK's file-name
     * charset cannot encode fails (as {@link java.nio.file.Path#of} would) instead of becoming '?'.
     */
    private byte[] cString(String s) throws CharacterCodingException {
        int length = s.length();
        byte[] ascii = new byte[length + 1];
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                ByteBuffer encoded = fileNameCharset.newEncoder().encode(CharBuffer.wrap(s));
                byte[] bytes = new byte[encoded.remaining() + 1];
                encoded.get(bytes, 0, encoded.remaining());
                return bytes;
            }
            ascii[i] = (byte) c;
        }
        return ascii;
    }
}
