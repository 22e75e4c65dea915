package dev.berth.build.copy;

import dev.berth.store.Directories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The context of the last build whose unpack finished, kept after it (moved, not copied) so that the next build
 * links the files it has unchanged instead of making each anew: on a rebuild the new inodes were most of what the
 * context cost. One is kept at a time; what an earlier berthd kept is removed at the first keep, its records being
 * gone with it.
 */
public final class ContextDonor {

    private static final Logger log = LoggerFactory.getLogger(ContextDonor.class);

    private final Path dir;
    private ContextDigests.Donor current;
    private boolean swept;

    /** @param dir where the kept context lives, on the file system of the builds' directories */
    public ContextDonor(Path dir) {
        this.dir = dir;
    }

    /** The records a new build's unpack starts with: linking from the kept context, if there is one. */
    public synchronized ContextDigests digests() {
        return new ContextDigests(current);
    }

    /** Keeps {@code context}, which its unpack made whole and nothing changed since, in place of the one before. */
    public void keep(Path context, String buildId, ContextDigests digests) throws IOException {
        ContextDigests.Donor old;
        synchronized (this) {
            if (!swept) {
                Directories.deleteRecursively(dir);
                swept = true;
            }
            Directories.createPrivate(dir);
            Path kept = dir.resolve(buildId);
            Files.move(context, kept, StandardCopyOption.ATOMIC_MOVE);
            old = current;
            current = new ContextDigests.Donor(kept, digests);
        }
        // off the build's answer: a build linking from the old one meanwhile finds its files gone and writes them
        if (old != null) {
            Thread.ofVirtual().name("build-context-removal").start(() -> remove(old.dir()));
        }
    }

    private static void remove(Path kept) {
        try {
            Directories.deleteRecursively(kept);
        } catch (IOException e) {
            log.warn("the build context kept at {} could not be removed: {}", kept, e.getMessage());
        }
    }
}
