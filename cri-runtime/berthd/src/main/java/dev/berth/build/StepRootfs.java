package dev.berth.build;

import dev.berth.image.Digest;
import dev.berth.snapshot.SnapshotStore;
import dev.berth.store.Directories;
import dev.berth.sys.Mounts;
import dev.berth.sys.OverlayDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The root filesystem one filesystem step works in: the stage's layer snapshots as overlay lower dirs under a
 * fresh upper dir. After {@link #unmount} the upper dir holds exactly the step's changes (whiteouts and opaque
 * markers included), ready to become a layer; {@link #close} removes whatever is left.
 */
final class StepRootfs implements AutoCloseable {

    private final Mounts mounts;
    private final Path dir;
    private boolean mounted;

    private StepRootfs(Mounts mounts, Path dir) {
        this.mounts = mounts;
        this.dir = dir;
    }

    /** @param chainIds the stage's layers, bottom first */
    static StepRootfs mount(Mounts mounts, SnapshotStore snapshots, Path dir, List<String> chainIds)
            throws IOException {
        Directories.createPrivate(dir);
        StepRootfs rootfs = new StepRootfs(mounts, dir);
        try {
            Files.createDirectories(rootfs.upper());
            Files.setAttribute(rootfs.upper(), "unix:mode", 0755);
            Directories.createPrivate(dir.resolve("work"));
            Directories.createPrivate(rootfs.merged());
            List<Path> lowers = new ArrayList<>();
            for (int i = chainIds.size() - 1; i >= 0; i--) {
                Digest chainId = Digest.parse(chainIds.get(i));
                if (!snapshots.exists(chainId)) {
                    throw new IOException("layer snapshot " + chainId + " is missing");
                }
                lowers.add(snapshots.fsPath(chainId));
            }
            if (lowers.isEmpty()) {
                Path empty = Files.createDirectories(dir.resolve("empty"));
                Files.setAttribute(empty, "unix:mode", 0755);
                lowers.add(empty);
            }
            mounts.mountOverlay(
                    rootfs.merged(), new OverlayDirs(lowers, rootfs.upper(), dir.resolve("work"), dir.resolve("l")));
            rootfs.mounted = true;
            return rootfs;
        } catch (IOException | RuntimeException e) {
            rootfs.close();
            throw e;
        }
    }

    Path merged() {
        return dir.resolve("merged");
    }

    Path upper() {
        return dir.resolve("upper");
    }

    void unmount() throws IOException {
        if (mounted) {
            mounts.unmount(merged());
            mounted = false;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            unmount();
        } finally {
            Directories.deleteRecursively(dir);
        }
    }
}
