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

    private final MountCalls mounts = new MountCalls();

    /** Moves the calling thread (only it) into new namespaces of the given kinds. */
    public void unshare(int flags) throws IOException {
        try {
            LibC.unshare(flags);
        } catch (LastErrorException e) {
            throw MountCalls.failure("unshare", null, e);
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
