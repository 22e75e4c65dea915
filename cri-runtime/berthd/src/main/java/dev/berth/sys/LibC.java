package dev.berth.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The libc functions berthd calls, bound by JNA direct mapping (the fastest JNA binding: no proxy, no
 * reflection per call). Paths and names are NUL-terminated byte arrays, encoded by {@link Syscalls}.
 * Only the public classes of this package touch it.
 */
final class LibC {

    static {
        Native.register(LibC.class, CLibrary.get());
    }

    private LibC() {}

    static native int lchown(byte[] path, int uid, int gid) throws LastErrorException;

    static native int chmod(byte[] path, int mode) throws LastErrorException;

    static native int symlink(byte[] target, byte[] linkPath) throws LastErrorException;

    /** {@code times} is {@code struct timespec[2]}: atime seconds, atime nanos, mtime seconds, mtime nanos. */
    static native int utimensat(int dirFd, byte[] path, long[] times, int flags) throws LastErrorException;

    static native int lsetxattr(byte[] path, byte[] name, byte[] value, long size, int flags) throws LastErrorException;

    static native long lgetxattr(byte[] path, byte[] name, byte[] value, long size) throws LastErrorException;

    static native long llistxattr(byte[] path, byte[] list, long size) throws LastErrorException;

    static native int unshare(int flags) throws LastErrorException;

    static native int mount(byte[] source, byte[] target, byte[] fstype, long flags, byte[] data)
            throws LastErrorException;

    static native int umount2(byte[] target, int flags) throws LastErrorException;

    static native int chdir(byte[] path) throws LastErrorException;

    static native int sethostname(byte[] name, long length) throws LastErrorException;

    static native int setns(int fd, int nstype) throws LastErrorException;

    static native int open(byte[] path, int flags) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native long read(int fd, byte[] buffer, long count) throws LastErrorException;

    static native long write(int fd, byte[] buffer, long count) throws LastErrorException;

    /** {@code fds} is {@code struct pollfd[]}: int fd, short events, short revents. */
    static native int poll(Pointer fds, long count, int timeoutMillis) throws LastErrorException;

    static native int fcntl(int fd, int command, int argument) throws LastErrorException;

    /** {@code argument} is {@code struct winsize}: rows, columns, x pixels, y pixels (unsigned shorts). */
    static native int ioctl(int fd, long request, short[] argument) throws LastErrorException;

    static native int posix_openpt(int flags) throws LastErrorException;

    static native int grantpt(int fd) throws LastErrorException;

    static native int unlockpt(int fd) throws LastErrorException;

    /** Returns 0 or an errno value itself (it does not set errno). */
    static native int ptsname_r(int fd, byte[] name, long length);

    /** {@code termios} is {@code struct termios} as opaque bytes (60 on Linux; the buffer is larger). */
    static native int tcgetattr(int fd, byte[] termios) throws LastErrorException;

    static native int tcsetattr(int fd, int optionalActions, byte[] termios) throws LastErrorException;

    static native void cfmakeraw(byte[] termios);

    static native int socket(int domain, int type, int protocol) throws LastErrorException;

    /** {@code value} is the option's struct as longs, e.g. {@code struct timeval} for SO_RCVTIMEO. */
    static native int setsockopt(int fd, int level, int name, long[] value, int length) throws LastErrorException;

    static native int connect(int fd, byte[] address, int length) throws LastErrorException;

    static native int shutdown(int fd, int how) throws LastErrorException;

    static native long sendto(int fd, byte[] buffer, long length, int flags, byte[] address, int addressLength)
            throws LastErrorException;

    static native int geteuid();

    static native int getegid();

    static native String strerror(int errno);
}
