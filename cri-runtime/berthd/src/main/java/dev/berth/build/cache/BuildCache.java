package dev.berth.build.cache;

import dev.berth.content.ContentStore;
import dev.berth.image.Digest;
import dev.berth.imagestore.GcRoots;
import dev.berth.imagestore.LayerRecord;
import dev.berth.snapshot.SnapshotStore;
import dev.berth.store.Directories;
import dev.berth.store.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Docker's classic build cache: a step's cache key (parent, instruction, arguments, source content) to the layer it
 * made. The layers are ordinary blobs and snapshots; this index, one JSON file under berthd's root, keeps them from
 * garbage collection for as long as an image built with them exists. An entry no image uses any more goes at the
 * next collection.
 */
public final class BuildCache implements GcRoots {

    private final Path file;
    private final Json json;
    private final ContentStore content;
    private final SnapshotStore snapshots;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /** One cached step: the layer, when it was made (its history time) and the images built with it. */
    public record Entry(LayerRecord layer, String created, Set<String> images) {
        public Entry {
            images = Set.copyOf(images);
        }
    }

    /** The index file's content. */
    public record Index(int version, Map<String, Entry> entries) {}

    public BuildCache(Path dir, Json json, ContentStore content, SnapshotStore snapshots) throws IOException {
        Directories.createPrivate(dir);
        this.file = dir.resolve("index.json");
        this.json = json;
        this.content = content;
        this.snapshots = snapshots;
        if (Files.exists(file)) {
            Index index = json.read(file, Index.class);
            if (index.entries() != null) {
                entries.putAll(index.entries());
            }
        }
    }

    /** The layer a step with this key made before, if it and its snapshot are still there. */
    public synchronized Optional<Entry> lookup(String key) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        LayerRecord layer = entry.layer();
        if (!content.contains(Digest.parse(layer.digest())) || !snapshots.exists(Digest.parse(layer.chainId()))) {
            return Optional.empty();
        }
        return Optional.of(entry);
    }

    public synchronized void put(String key, LayerRecord layer, String created) throws IOException {
        Entry old = entries.get(key);
        entries.put(key, new Entry(layer, created, old == null ? Set.of() : old.images()));
        save();
    }

    /** Records that {@code imageId} was built with the entries of {@code keys}, which keeps them. */
    public synchronized void usedBy(List<String> keys, String imageId) throws IOException {
        boolean changed = false;
        for (String key : keys) {
            Entry entry = entries.get(key);
            if (entry != null && !entry.images().contains(imageId)) {
                Set<String> images = new HashSet<>(entry.images());
                images.add(imageId);
                entries.put(key, new Entry(entry.layer(), entry.created(), images));
                changed = true;
            }
        }
        // a rebuild of the same image changes nothing, and the index's write is synced
        if (changed) {
            save();
        }
    }

    @Override
    public synchronized Set<String> retained(Set<String> liveImageIds) throws IOException {
        boolean changed =
                entries.values().removeIf(entry -> entry.images().stream().noneMatch(liveImageIds::contains));
        if (changed) {
            save();
        }
        Set<String> kept = new HashSet<>();
        for (Entry entry : entries.values()) {
            kept.add(entry.layer().digest());
            kept.add(entry.layer().chainId());
        }
        return kept;
    }

    private void save() throws IOException {
        json.writeAtomically(file, new Index(1, entries));
    }
}
