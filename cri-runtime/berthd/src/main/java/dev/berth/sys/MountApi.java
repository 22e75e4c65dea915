package dev.berth.sys;

import com.sun.jna.Function;
import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's file-system context mount API (fsopen, fsconfig, fsmount, move_mount), through syscall(2):
 * glibc wraps these only since 2.36 and RHEL 8/9 ship older ones. The numbers are the same on every
 * architecture berthd runs on (x86_64, aarch64): the calls came after the syscall tables were unified.
 */
final class MountApi {

    private static final Logger log = LoggerFactory.getLogger(MountApi.class);

    private static final long SYS_MOVE_MOUNT = 429;
    private static final long SYS_FSOPEN = 430;
    private static final long SYS_FSCONFIG = 431;
    private static final long SYS_FSMOUNT = 432;
    private static final long FSOPEN_CLOEXEC = 1;
    private static final long FSMOUNT_CLOEXEC = 1;
    private static final long FSCONFIG_SET_FLAG = 0;
    private static final long FSCONFIG_SET_STRING = 1;
    private static final long FSCONFIG_CMD_CREATE = 6;
    private static final long MOVE_MOUNT_F_EMPTY_PATH = 4;
    private static final long AT_FDCWD = -100;

    private final Function syscall = CLibrary.get().getFunction("syscall", Function.THROW_LAST_ERROR);

    /** Whether overlay here takes {@code lowerdir+}; asked of the kernel once, on first use. */
    private volatile Boolean supported;

    /**
     * Overlay's {@code lowerdir+} came in Linux 6.8. Before 6.5 overlay had no parameters of its own: the
     * kernel's legacy context takes any key into one page of options (and fails on a long layer list only
     * halfway), so a key overlay does not know must be refused before {@code lowerdir+} is trusted.
     */
    boolean supported() {
        Boolean known = supported;
        if (known == null) {
            known = probe();
            supported = known;
        }
        return known;
    }

    private boolean probe() {
        long context;
        try {
            context = call(SYS_FSOPEN, MountCalls.c("overlay"), FSOPEN_CLOEXEC);
        } catch (LastErrorException e) {
            log.info("overlay mount API unavailable: fsopen: {}", LibC.strerror(e.getErrorCode()));
            return false;
        }
        try {
            if (accepts(context, "berth-probe-unknown-key", "x")) {
                log.info("overlay mount API unavailable: overlay has no parameters of its own (kernel before 6.5)");
                return false;
            }
            if (!accepts(context, "lowerdir+", "/")) {
                log.info("overlay mount API unavailable: overlay has no lowerdir+ (kernel before 6.8)");
                return false;
            }
            return true;
        } finally {
            close(context);
        }
    }

    private boolean accepts(long context, String key, String value) {
        try {
            call(SYS_FSCONFIG, context, FSCONFIG_SET_STRING, MountCalls.c(key), MountCalls.c(value), 0L);
            return true;
        } catch (LastErrorException e) {
            return false;
        }
    }

    /**
     * Mounts an overlay (volatile, see {@link MountCalls}) at {@code target} with one {@code lowerdir+} per layer, so the layer count is not
     * bounded by a page of options; call it only where {@link #supported()}. Nothing is mounted when it fails.
     */
    void mountOverlay(Path target, OverlayDirs dirs) throws IOException {
        long context;
        try {
            context = call(SYS_FSOPEN, MountCalls.c("overlay"), FSOPEN_CLOEXEC);
        } catch (LastErrorException e) {
            throw MountCalls.failure("fsopen overlay", target, e);
        }
        try {
            set(context, target, "source", "overlay");
            for (Path lower : dirs.lowers()) {
                try {
                    call(SYS_FSCONFIG, context, FSCONFIG_SET_STRING, MountCalls.c("lowerdir+"), cPath(lower), 0L);
                } catch (LastErrorException e) {
                    throw failure("fsconfig lowerdir+=" + lower, target, context, e);
                }
            }
            set(context, target, "upperdir", dirs.upper().toString());
            set(context, target, "workdir", dirs.work().toString());
            // see MountCalls: a container's writable layer need not be durable
            try {
                call(SYS_FSCONFIG, context, FSCONFIG_SET_FLAG, MountCalls.c("volatile"), null, 0L);
            } catch (LastErrorException e) {
                throw failure("fsconfig volatile", target, context, e);
            }
            try {
                call(SYS_FSCONFIG, context, FSCONFIG_CMD_CREATE, null, null, 0L);
            } catch (LastErrorException e) {
                throw failure("fsconfig create overlay", target, context, e);
            }
            long mount;
            try {
                mount = call(SYS_FSMOUNT, context, FSMOUNT_CLOEXEC, 0L);
            } catch (LastErrorException e) {
                throw failure("fsmount overlay", target, context, e);
            }
            try {
                call(SYS_MOVE_MOUNT, mount, MountCalls.c(""), AT_FDCWD, cPath(target), MOVE_MOUNT_F_EMPTY_PATH);
            } catch (LastErrorException e) {
                throw MountCalls.failure("move_mount overlay", target, e);
            } finally {
                close(mount);
            }
        } finally {
            close(context);
        }
    }

    private void set(long context, Path target, String key, String value) throws IOException {
        try {
            call(SYS_FSCONFIG, context, FSCONFIG_SET_STRING, MountCalls.c(key), MountCalls.c(value), 0L);
        } catch (LastErrorException e) {
            throw failure("fsconfig " + key, target, context, e);
        }
    }

    private long call(long number, Object... args) {
        Object[] all = new Object[args.length + 1];
        all[0] = number;
        System.arraycopy(args, 0, all, 1, args.length);
        return syscall.invokeLong(all);
    }

    /**
     * The kernel keeps the file system's own explanation of a refused parameter in the context's log
     * ("e overlay: ..."); it names the cause far better than errno alone.
     */
    private static SyscallException failure(String call, Path target, long context, LastErrorException e) {
        String detail = "";
        byte[] buffer = new byte[512];
        try {
            long n = LibC.read((int) context, buffer, buffer.length);
            if (n > 0) {
                detail = " (" + new String(buffer, 0, (int) n, StandardCharsets.UTF_8).strip() + ")";
            }
        } catch (LastErrorException ignored) {
            // no message logged: errno is all there is
        }
        int errno = e.getErrorCode();
        return new SyscallException(call, target, errno, LibC.strerror(errno) + detail);
    }

    private static void close(long fd) {
        try {
            LibC.close((int) fd);
        } catch (LastErrorException ignored) {
            // close(2) of an fd of our own fails only when it is already gone
        }
    }

    private static byte[] cPath(Path path) {
        return MountCalls.c(path.toString());
    }
}
