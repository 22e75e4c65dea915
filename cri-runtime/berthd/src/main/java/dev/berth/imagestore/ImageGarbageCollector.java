package dev.berth.imagestore;

import dev.berth.content.ContentStore;
import dev.berth.image.Digest;
import dev.berth.snapshot.SnapshotStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes every blob and snapshot that no image record references, no {@link GcRoots} retains and no pull or build
 * in progress holds.
 * Removal only drops records; this is the one place that frees content.
 */
public final class ImageGarbageCollector {

    private static final Logger log = LoggerFactory.getLogger(ImageGarbageCollector.class);

    private final ImageStore images;
    private final ContentStore content;
    private final SnapshotStore snapshots;
    private final Leases leases;
    private final GcRoots roots;

    public ImageGarbageCollector(ImageStore images, ContentStore content, SnapshotStore snapshots, Leases leases) {
        this(images, content, snapshots, leases, GcRoots.NONE);
    }

    /** {@code roots}: what else keeps content, such as the build cache. */
    public ImageGarbageCollector(
            ImageStore images, ContentStore content, SnapshotStore snapshots, Leases leases, GcRoots roots) {
        this.images = images;
        this.content = content;
        this.snapshots = snapshots;
        this.leases = leases;
        this.roots = roots;
    }

    public void collect() throws IOException {
        try {
            leases.whileExclusive(leased -> {
                try {
                    sweep(leased);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void sweep(java.util.function.Predicate<String> leased) throws IOException {
        Set<String> referenced = new HashSet<>();
        Set<String> live = new HashSet<>();
        for (ImageRecord image : images.list()) {
            live.add(image.id());
            referenced.add(image.manifestDigest());
            referenced.add(image.configDigest());
            for (LayerRecord layer : image.layers()) {
                referenced.add(layer.digest());
                referenced.add(layer.chainId());
            }
        }
        referenced.addAll(roots.retained(live));
        int blobs = 0;
        for (Digest blob : content.list()) {
            if (!referenced.contains(blob.toString()) && !leased.test(blob.toString())) {
                content.delete(blob);
                blobs++;
            }
        }
        int layers = 0;
        for (Digest chainId : snapshots.list()) {
            if (!referenced.contains(chainId.toString()) && !leased.test(chainId.toString())) {
                snapshots.delete(chainId);
                layers++;
            }
        }
        if (blobs + layers > 0) {
            log.info("garbage collected {} blobs and {} layer snapshots", blobs, layers);
        }
    }
}
