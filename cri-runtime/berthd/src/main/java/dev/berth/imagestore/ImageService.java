package dev.berth.imagestore;

import dev.berth.content.ContentStore;
import dev.berth.image.Digest;
import dev.berth.image.manifest.ImageConfig;
import dev.berth.image.reference.ImageReference;
import dev.berth.image.reference.InvalidReferenceException;
import dev.berth.image.registry.RegistryCredentials;
import dev.berth.snapshot.SnapshotStore;
import dev.berth.snapshot.SnapshotUsage;
import dev.berth.store.NotFoundException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The image feature as the CRI sees it: pull, look up by ID or any name, list, remove, measure. Names are
 * canonical (Docker-normalised) references; IDs are config digests.
 */
public final class ImageService implements ImageLookup {

    private static final Logger log = LoggerFactory.getLogger(ImageService.class);
    private static final Pattern FULL_ID = Pattern.compile("(sha256:)?[a-f0-9]{64}");
    private static final Pattern ID_PREFIX = Pattern.compile("(sha256:)?[a-f0-9]{12,63}");

    private final ImagePuller puller;
    private final ImageStore images;
    private final ContentStore content;
    private final SnapshotStore snapshots;
    private final ImageGarbageCollector collector;
    private final Map<String, ImageConfig> configs = new ConcurrentHashMap<>();
    private final ConfigHistory history = new ConfigHistory();

    public ImageService(
            ImagePuller puller,
            ImageStore images,
            ContentStore content,
            SnapshotStore snapshots,
            ImageGarbageCollector collector) {
        this.puller = puller;
        this.images = images;
        this.content = content;
        this.snapshots = snapshots;
        this.collector = collector;
    }

    /** {@code caller} tells when the client has gone; a pull every client has left is cancelled. */
    public ImageRecord pull(String image, RegistryCredentials credentials, Caller caller)
            throws InvalidReferenceException, PullException, IOException {
        return pull(image, credentials, caller, watch -> {});
    }

    /** As {@link #pull(String, RegistryCredentials, Caller)}; {@code watcher} is handed the pull's progress first. */
    public ImageRecord pull(String image, RegistryCredentials credentials, Caller caller, Consumer<PullWatch> watcher)
            throws InvalidReferenceException, PullException, IOException {
        ImageReference reference = ImageReference.parse(image);
        ImagePuller.PullResult result = puller.pull(reference, credentials, caller, watcher);
        if (!result.orphaned().isEmpty()) {
            for (ImageRecord orphan : result.orphaned()) {
                images.delete(orphan.id());
            }
            collector.collect();
        }
        return result.image();
    }

    /**
     * Gives the image {@code source} names (ID, prefix or name) the name {@code target} too, taking it from
     * any image that had it; an image left without names is removed, as after a pull that moved its tag.
     */
    public ImageRecord tag(String source, String target)
            throws InvalidReferenceException, NotFoundException, IOException {
        ImageReference reference = ImageReference.parse(target);
        if (reference.digest() != null) {
            throw new InvalidReferenceException(target, "a tag cannot name a digest");
        }
        ImageRecord image = find(source).orElseThrow(() -> new NotFoundException("image", source));
        List<ImageRecord> orphaned = images.tag(image, List.of(reference.toString()), List.of());
        for (ImageRecord orphan : orphaned) {
            images.delete(orphan.id());
        }
        if (!orphaned.isEmpty()) {
            collector.collect();
        }
        log.info("tagged image {} as {}", image.id(), reference);
        return images.byId(image.id()).orElse(image);
    }

    /**
     * Records an image berthd made itself (a build: its blobs and snapshots already stored) under {@code tags},
     * canonical names, taking them from any image that had them; an image left without names is removed.
     */
    public ImageRecord register(ImageRecord image, List<String> tags) throws IOException {
        List<ImageRecord> orphaned = images.tag(image, tags, List.of());
        for (ImageRecord orphan : orphaned) {
            images.delete(orphan.id());
        }
        if (!orphaned.isEmpty()) {
            collector.collect();
        }
        log.info("recorded built image {} as {}", image.id(), String.join(", ", tags));
        return images.byId(image.id()).orElse(image);
    }

    /** The image's build steps, newest first. */
    public List<HistoryEntry> history(ImageRecord image) throws IOException {
        byte[] config = content.read(Digest.parse(image.configDigest()))
                .orElseThrow(() ->
                        new IOException("config blob " + image.configDigest() + " of " + image.id() + " is missing"));
        return history.entries(config, image.layers());
    }

    /** Finds an image by full ID, unique ID prefix (12+ hex digits), tag or digest reference. */
    @Override
    public Optional<ImageRecord> find(String image) {
        String trimmed = image.strip();
        if (FULL_ID.matcher(trimmed).matches()) {
            return images.byId(trimmed.startsWith("sha256:") ? trimmed : "sha256:" + trimmed);
        }
        try {
            Optional<ImageRecord> byName = images.byReference(canonicalName(trimmed));
            if (byName.isPresent()) {
                return byName;
            }
        } catch (InvalidReferenceException e) {
            // not a name; maybe an ID prefix
        }
        if (ID_PREFIX.matcher(trimmed).matches()) {
            String prefix = trimmed.startsWith("sha256:") ? trimmed : "sha256:" + trimmed;
            List<ImageRecord> matches = images.list().stream()
                    .filter(r -> r.id().startsWith(prefix))
                    .toList();
            if (matches.size() == 1) {
                return Optional.of(matches.getFirst());
            }
        }
        return Optional.empty();
    }

    public List<ImageRecord> list(String filter) {
        if (filter == null || filter.isBlank()) {
            return images.list();
        }
        return find(filter).stream().toList();
    }

    @Override
    public ImageConfig config(ImageRecord image) throws IOException {
        ImageConfig cached = configs.get(image.configDigest());
        if (cached != null) {
            return cached;
        }
        byte[] bytes = content.read(Digest.parse(image.configDigest()))
                .orElseThrow(() ->
                        new IOException("config blob " + image.configDigest() + " of " + image.id() + " is missing"));
        ImageConfig config = ImageConfig.parse(bytes);
        configs.put(image.configDigest(), config);
        return config;
    }

    /**
     * Removes an image found by ID or any of its names, with all its names, as CRI specifies; then every
     * blob and snapshot only it used. Removing what is not there succeeds.
     */
    public void remove(String image) throws IOException {
        Optional<ImageRecord> found = find(image);
        if (found.isEmpty()) {
            return;
        }
        ImageRecord record = found.get();
        images.delete(record.id());
        configs.remove(record.configDigest());
        log.info("removed image {} ({})", record.id(), String.join(", ", record.references()));
        collector.collect();
    }

    public StoreUsage usage() throws IOException {
        SnapshotUsage total = SnapshotUsage.NONE;
        for (Digest chainId : snapshots.list()) {
            total = total.plus(snapshots.usage(chainId));
        }
        long blobBytes = 0;
        long blobCount = 0;
        for (Digest blob : content.list()) {
            blobBytes += content.sizeOf(blob);
            blobCount++;
        }
        return new StoreUsage(total.bytes() + blobBytes, total.inodes() + blobCount);
    }

    private static String canonicalName(String image) throws InvalidReferenceException {
        ImageReference reference = ImageReference.parse(image);
        return reference.digest() != null
                ? reference.withDigest(reference.digest()).toString()
                : reference.toString();
    }

    public record StoreUsage(long bytes, long inodes) {}
}
