package dev.berth.sys;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** mount(2) and umount2(2) for container root filesystems and pod-wide tmpfs. */
public final class MountCalls implements Mounts {

    private static final Logger log = LoggerFactory.getLogger(MountCalls.class);

    private static final long MS_NODEV = 4;
    private static final long MS_NOSUID = 2;
    private static final long MS_NOEXEC = 8;
    private static final int MNT_DETACH = 2;

    /** The kernel refuses mount options longer than a page; overlay's lowerdir list is what grows. */
    public static final int MAX_MOUNT_DATA = 4095;

    /**
     * Overlay's {@code volatile} (Linux 5.10): no sync of the upper layer, ever. A container's writable layer
     * never outlives a reboot (kubelet makes every container afresh, and berthd never mounts a writable layer
     * twice), so its durability buys nothing, while each unmount without it syncs the whole file system the
     * upper lives on: 3-80 ms a container removal here, depending on what else is dirty on that disk.
     */
    private static final String VOLATILE = ",volatile";

    private final MountApi mountApi;
    private final LinkedLowerDirs linkedLowerDirs = new LinkedLowerDirs();
    /** Whether overlay takes {@code volatile}; learnt from the first mount(2), null until then. */
    private volatile Boolean volatileUpper;

    public MountCalls() {
        this(true);
    }

    private MountCalls(boolean useMountApi) {
        this.mountApi = useMountApi ? new MountApi() : null;
    }

    /** A mounter that acts as on a kernel without {@code lowerdir+}: long layer lists go through short links. */
    public static MountCalls withoutMountApi() {
        return new MountCalls(false);
    }

    /**
     * An overlay whose options fit in a page is one mount(2), exactly as it always was (and as findmnt shows
     * it); a longer one takes the mount API with one {@code lowerdir+} per layer, or short layer links where
     * the kernel lacks that.
     */
    @Override
    public void mountOverlay(Path target, OverlayDirs dirs) throws IOException {
        String options = dirs.options(dirs.lowers().stream().map(Path::toString).toList());
        if (options.length() + VOLATILE.length() <= MAX_MOUNT_DATA) {
            mount(target, options);
            return;
        }
        if (mountApi != null && mountApi.supported()) {
            // lowerdir+ came in 6.8, long after volatile
            mountApi.mountOverlay(target, dirs);
            return;
        }
        linkedLowerDirs.mountOverlay(target, dirs, Boolean.TRUE.equals(volatileUpper) ? VOLATILE : "");
    }

    /** With {@code volatile} unless the kernel refused it once; a kernel that refuses it mounts without. */
    private void mount(Path target, String options) throws IOException {
        if (!Boolean.FALSE.equals(volatileUpper)) {
            try {
                LibC.mount(c("overlay"), c(target.toString()), c("overlay"), 0, c(options + VOLATILE));
                volatileUpper = true;
                return;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.EINVAL || Boolean.TRUE.equals(volatileUpper)) {
                    throw failure("mount overlay", target, e);
                }
            }
        }
        try {
            LibC.mount(c("overlay"), c(target.toString()), c("overlay"), 0, c(options));
        } catch (LastErrorException e) {
            throw failure("mount overlay", target, e);
        }
        if (volatileUpper == null) {
            volatileUpper = false;
            log.info("overlay refuses volatile (kernel before 5.10): each container's unmount syncs its upper");
        }
    }

    /** A tmpfs like the one runc gives /dev/shm: nosuid, nodev, noexec, mode 1777. */
    @Override
    public void mountTmpfs(Path target, long sizeBytes) throws IOException {
        try {
            LibC.mount(
                    c("shm"),
                    c(target.toString()),
                    c("tmpfs"),
                    MS_NOSUID | MS_NODEV | MS_NOEXEC,
                    c("mode=1777,size=" + sizeBytes));
        } catch (LastErrorException e) {
            throw failure("mount tmpfs", target, e);
        }
    }

    /** Lazily unmounts; a path that is not (or no longer) a mount point is not an error. */
    @Override
    public void unmount(Path target) throws IOException {
        try {
            LibC.umount2(c(target.toString()), MNT_DETACH);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != Errno.EINVAL && e.getErrorCode() != Errno.ENOENT) {
                throw failure("umount", target, e);
            }
        }
    }

    /** NUL-terminated UTF-8, as the kernel takes paths and mount options. */
    static byte[] c(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(bytes, bytes.length + 1);
    }

    static SyscallException failure(String call, Path path, LastErrorException e) {
        return new SyscallException(call, path, e.getErrorCode(), LibC.strerror(e.getErrorCode()));
    }
}
