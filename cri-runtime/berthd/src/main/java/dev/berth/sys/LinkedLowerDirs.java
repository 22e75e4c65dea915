package dev.berth.sys;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The overlay mount for kernels without {@code lowerdir+} when the layer paths overflow a page: one short
 * symlink a layer ({@code linkDir/0}, {@code linkDir/1}, …) and lowerdir names relative to {@code linkDir},
 * as Docker's overlay2 driver does. Overlay resolves the names (following the links) at mount time, from
 * the caller's working directory; so the mount runs on a thread of its own that first unshares its file
 * system attributes (CLONE_FS), and the chdir never moves the rest of berthd.
 */
final class LinkedLowerDirs {

    private static final int CLONE_FS = 0x00000200;

    /** Makes the links afresh and mounts; the links must stay as long as the mount is there. */
    void mountOverlay(Path target, OverlayDirs dirs, String extraOptions) throws IOException {
        Path linkDir = dirs.linkDir();
        recreate(linkDir);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < dirs.lowers().size(); i++) {
            String name = Integer.toString(i);
            Files.createSymbolicLink(linkDir.resolve(name), dirs.lowers().get(i));
            names.add(name);
        }
        String options = dirs.options(names) + extraOptions;
        if (options.length() > MountCalls.MAX_MOUNT_DATA) {
            throw new IOException("overlay mount options for " + target + " are " + options.length()
                    + " bytes even with short layer links, over the kernel's page-size limit");
        }
        AtomicReference<IOException> failure = new AtomicReference<>();
        Thread mounter = Thread.ofPlatform().name("overlay-mount").unstarted(() -> {
            try {
                LibC.unshare(CLONE_FS);
                LibC.chdir(MountCalls.c(linkDir.toString()));
                LibC.mount(
                        MountCalls.c("overlay"),
                        MountCalls.c(target.toString()),
                        MountCalls.c("overlay"),
                        0,
                        MountCalls.c(options));
            } catch (LastErrorException e) {
                failure.set(MountCalls.failure("mount overlay (linked layers in " + linkDir + ")", target, e));
            }
        });
        mounter.start();
        joinUninterruptibly(mounter);
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /** An empty {@code linkDir}: links of an earlier mount (a restart, a retried create) go first. */
    private static void recreate(Path linkDir) throws IOException {
        if (Files.isDirectory(linkDir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (var links = Files.list(linkDir)) {
                for (Path link : links.toList()) {
                    Files.delete(link);
                }
            }
        }
        Files.createDirectories(linkDir);
    }

    /** The mount is quick and must not be left half-watched: an interrupt waits for it, then stays set. */
    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
