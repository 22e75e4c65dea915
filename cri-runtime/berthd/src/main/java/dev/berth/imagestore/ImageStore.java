package dev.berth.imagestore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.store.Directories;
import dev.berth.store.Json;
import dev.berth.store.RecordFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Image records by ID, each a JSON file written atomically, mirrored in memory. A name points at one
 * image at a time: tagging an image with a name takes that name away from any other image. A record it
 * cannot read stops the load ({@link dev.berth.store.UnreadableRecordException} names the file).
 */
public final class ImageStore {

    /** Unversioned records of earlier releases are version 1 without the field. */
    private static final RecordFormat<ImageRecord> FORMAT = new RecordFormat<>(
            ImageRecord.class,
            ImageRecord.FORMAT_VERSION,
            (node, json) -> json.mapper()
                    .treeToValue(
                            ((ObjectNode) node.deepCopy()).put(RecordFormat.VERSION_FIELD, ImageRecord.FORMAT_VERSION),
                            ImageRecord.class));

    private final Path dir;
    private final Json json;
    private final Map<String, ImageRecord> byId = new LinkedHashMap<>();

    public ImageStore(Path imagesDir, Json json) throws IOException {
        this.dir = imagesDir;
        this.json = json;
        Directories.createPrivate(dir);
        load();
    }

    private void load() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.startsWith(".")) {
                    Files.deleteIfExists(file);
                    continue;
                }
                ImageRecord record = FORMAT.read(file, json);
                byId.put(record.id(), record);
            }
        }
    }

    public synchronized List<ImageRecord> list() {
        List<ImageRecord> all = new ArrayList<>(byId.values());
        all.sort(Comparator.comparing(ImageRecord::id));
        return all;
    }

    public synchronized Optional<ImageRecord> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public synchronized Optional<ImageRecord> byReference(String canonicalReference) {
        return byId.values().stream()
                .filter(r -> r.repoTags().contains(canonicalReference)
                        || r.repoDigests().contains(canonicalReference))
                .findFirst();
    }

    /**
     * Stores {@code image} with the given names added, merging with an existing record of the same ID,
     * and moves the names away from other images.
     *
     * @return images that lost their last name by this, for the caller to delete
     */
    public synchronized List<ImageRecord> tag(ImageRecord image, List<String> tags, List<String> digests)
            throws IOException {
        ImageRecord merged = byId.getOrDefault(image.id(), image);
        for (String tag : tags) {
            merged = merged.withReference(tag, false);
        }
        for (String digest : digests) {
            merged = merged.withReference(digest, true);
        }
        List<ImageRecord> orphaned = new ArrayList<>();
        for (ImageRecord other : List.copyOf(byId.values())) {
            if (other.id().equals(image.id())) {
                continue;
            }
            ImageRecord untagged = other;
            for (String tag : tags) {
                untagged = untagged.withoutReference(tag);
            }
            if (!untagged.repoTags().equals(other.repoTags())) {
                write(untagged);
                if (!untagged.hasReferences()) {
                    orphaned.add(untagged);
                }
            }
        }
        if (!merged.equals(byId.get(image.id()))) {
            // a rebuild the cache gave whole, tagged as before, is already on disk as it is
            write(merged);
        }
        return orphaned;
    }

    public synchronized void delete(String imageId) throws IOException {
        Files.deleteIfExists(file(imageId));
        byId.remove(imageId);
    }

    private void write(ImageRecord record) throws IOException {
        json.writeAtomically(file(record.id()), record);
        byId.put(record.id(), record);
    }

    private Path file(String imageId) {
        return dir.resolve(imageId.replace(':', '-') + ".json");
    }
}
