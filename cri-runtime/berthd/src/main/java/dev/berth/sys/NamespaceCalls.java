package dev.berth.sys;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The namespace and mount calls a pod needs: unshare(2) on the calling thread, bind mounts that keep a
 * namespace alive after its thread is gone, detaching unmounts, sethostname(2).
 */
public final class NamespaceCalls {

    public static final int CLONE_NEWUTS = 0x04000000;
    public static final int CLONE_NEWIPC = 0x08000000;
    public static final int CLONE_NEWNET = 0x40000000;

    private static final long MS_BIND = 4096;
    private static final int O_RDONLY_CLOEXEC = 02000000;

    private final MountCalls mounts = new MountCalls();

    /** Moves the calling thread (only it) into new namespaces of the given kinds. */
    public void unshare(int flags) throws IOException {
        try {
            LibC.unshare(flags);
        } catch (LastErrorException e) {
            throw MountCalls.failure("unshare", null, e);
        }
    }

    /**
     * Moves the calling thread (only it) into the namespace pinned at {@code nsFile}; {@code kind} is its
     * CLONE_NEW* flag, so a file of another kind is refused. Run it on a thread of its own that then ends.
     */
    public void enter(Path nsFile, int kind) throws IOException {
        int fd;
        try {
            fd = LibC.open(MountCalls.c(nsFile.toString()), O_RDONLY_CLOEXEC);
        } catch (LastErrorException e) {
            throw MountCalls.failure("open", nsFile, e);
        }
        try {
            LibC.setns(fd, kind);
        } catch (LastErrorException e) {
            throw MountCalls.failure("setns", nsFile, e);
        } finally {
            new NativeFd(fd, nsFile.toString()).close();
        }
    }

    public void bindMount(Path source, Path target) throws IOException {
        try {
            LibC.mount(MountCalls.c(source.toString()), MountCalls.c(target.toString()), null, MS_BIND, null);
        } catch (LastErrorException e) {
            throw MountCalls.failure("mount --bind " + source, target, e);
        }
    }

    /** Lazily unmounts; a path that is not (or no longer) a mount point is not an error. */
    public void unmount(Path target) throws IOException {
        mounts.unmount(target);
    }

    /** Sets the host name of the calling thread's UTS namespace. */
    public void setHostname(String hostname) throws IOException {
        byte[] name = hostname.getBytes(StandardCharsets.UTF_8);
        try {
            LibC.sethostname(name, name.length);
        } catch (LastErrorException e) {
            throw MountCalls.failure("sethostname " + hostname, null, e);
        }
    }
}
