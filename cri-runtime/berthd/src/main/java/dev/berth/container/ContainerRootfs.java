package dev.berth.container;

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
 * A container's root filesystem: an overlay of its image's layer snapshots (read-only, shared with every
 * container of the image) under its own upper and work dirs.
 */
public final class ContainerRootfs {

    private final ContainerPaths paths;
    private final SnapshotStore snapshots;
    private final Mounts mounts;

    public ContainerRootfs(ContainerPaths paths, SnapshotStore snapshots, Mounts mounts) {
        this.paths = paths;
        this.snapshots = snapshots;
        this.mounts = mounts;
    }

    /** @param chainIds the image's layers, bottom first */
    public Path mount(String containerId, List<String> chainIds) throws IOException {
        Path upper = paths.upper(containerId);
        Path work = paths.work(containerId);
        Path target = paths.rootfs(containerId);
        // the writable layer and bundle are private; upper keeps 0755, it is the container's "/"
        Directories.createPrivate(paths.writable(containerId));
        Directories.createPrivate(target);
        Files.createDirectories(upper);
        Directories.createPrivate(work);
        List<Path> lowers = new ArrayList<>();
        for (int i = chainIds.size() - 1; i >= 0; i--) {
            Digest chainId = Digest.parse(chainIds.get(i));
            if (!snapshots.exists(chainId)) {
                throw new IOException("layer snapshot " + chainId + " of container " + containerId
                        + " is missing; pull the image again");
            }
            lowers.add(snapshots.fsPath(chainId));
        }
        if (lowers.isEmpty()) {
            // overlay needs a lower dir; an image without layers gets an empty one
            Path empty = paths.writable(containerId).resolve("empty");
            Directories.createPrivate(empty);
            lowers.add(empty);
        }
        // the links, if the mounter needs them, live in the writable layer and go with it
        mounts.mountOverlay(
                target,
                new OverlayDirs(lowers, upper, work, paths.writable(containerId).resolve("l")));
        return target;
    }

    /** Unmounts and deletes the writable layer; twice is fine. */
    public void remove(String containerId) throws IOException {
        Path target = paths.rootfs(containerId);
        if (Files.exists(target)) {
            mounts.unmount(target);
        }
        Directories.deleteRecursively(paths.writable(containerId));
    }

    /** Bytes and inodes the container wrote: its upper dir. */
    public WritableUsage usage(String containerId) throws IOException {
        Path upper = paths.upper(containerId);
        long[] totals = new long[2];
        if (!Files.isDirectory(upper)) {
            return new WritableUsage(upper, 0, 0);
        }
        Files.walkFileTree(upper, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult preVisitDirectory(
                    Path dir, java.nio.file.attribute.BasicFileAttributes attrs) {
                totals[1]++;
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFile(
                    Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
                totals[0] += attrs.size();
                totals[1]++;
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        return new WritableUsage(upper, totals[0], totals[1]);
    }

    public record WritableUsage(Path upperDir, long bytes, long inodes) {}
}
