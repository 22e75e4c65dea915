package dev.berth.sys;

import java.io.IOException;
import java.nio.file.Path;

/** The mounts berthd makes: {@link MountCalls} in berthd, fakes in tests that run without root. */
public interface Mounts {

    /** Mounts the overlay of {@code dirs} at {@code target}, however many layers it has. */
    void mountOverlay(Path target, OverlayDirs dirs) throws IOException;

    /** A tmpfs like the one runc gives /dev/shm: nosuid, nodev, noexec, mode 1777. */
    void mountTmpfs(Path target, long sizeBytes) throws IOException;

    /** Lazily unmounts; a path that is not (or no longer) a mount point is not an error. */
    void unmount(Path target) throws IOException;
}
