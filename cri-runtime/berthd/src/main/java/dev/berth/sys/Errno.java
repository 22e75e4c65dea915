package dev.berth.sys;

/** The errno values callers of {@link Syscalls} tell apart (Linux, every architecture berthd runs on). */
public final class Errno {

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EINVAL = 22;
    public static final int ERANGE = 34;
    public static final int ENOSYS = 38;
    public static final int ENODATA = 61;
    /** Also EOPNOTSUPP: one number on Linux. */
    public static final int ENOTSUP = 95;

    public static final int ECONNREFUSED = 111;

    private Errno() {}
}
