package dev.berth.sys;

import java.io.IOException;
import java.nio.file.Path;

/** A failed system call: which call, on which path, and the kernel's reason as {@code strerror(errno)}. */
public final class SyscallException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String call;
    private final transient Path path;
    private final int errno;

    SyscallException(String call, Path path, int errno, String reason) {
        super(call + (path == null ? "" : " " + path) + ": " + reason + " (errno " + errno + ")");
        this.call = call;
        this.path = path;
        this.errno = errno;
    }

    public String call() {
        return call;
    }

    public Path path() {
        return path;
    }

    /** Compare with the constants in {@link Errno}. */
    public int errno() {
        return errno;
    }
}
