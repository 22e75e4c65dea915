package dev.berth.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * The libc functions berthd calls, bound by JNA direct mapping (the fastest JNA binding: no proxy, no
 * reflection per call). Paths and names are NUL-terminated byte arrays, encoded by {@link Syscalls}.
 * Only the public classes of this package touch it.
 */
final class LibC {

    static {
        Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private LibC() {
    }

    static native int lchown(byte[] path, int uid, int gid) throws LastErrorException;

    static native int chmod(byte[] path, int mode) throws LastErrorException;

    static native int symlink(byte[] target, byte[] linkPath) throws LastErrorException;

    /** {@code times} is {@code struct timespec[2]}: atime seconds, atime nanos, mtime seconds, mtime nanos. */
    static native int utimensat(int dirFd, byte[] path, long[] times, int flags) throws LastErrorException;

    static native int lsetxattr(byte[] path, byte[] name, byte[] value, long size, int flags) throws LastErrorException;

    static native long lgetxattr(byte[] path, byte[] name, byte[] value, long size) throws LastErrorException;

    static native int unshare(int flags) throws LastErrorException;

    static native int mount(byte[] source, byte[] target, byte[] fstype, long flags, byte[] data) throws LastErrorException;

    static native int umount2(byte[] target, int flags) throws LastErrorException;

    static native int sethostname(byte[] name, long length) throws LastErrorException;

    static native int geteuid();

    static native int getegid();

    static native String strerror(int errno);
}
