package dev.berth.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records of one kind (sandboxes, containers) by ID: each a JSON file written atomically, mirrored in
 * memory so reads and list calls never touch the disk.
 */
public final class RecordStore<T> {

    private static final Logger log = LoggerFactory.getLogger(RecordStore.class);

    private final Path dir;
    private final Json json;
    private final Function<T, String> idOf;
    /**
     * How long a removed ID stays refused: longer than any call that could still be updating its record (kubelet
     * gives a CRI call 2 minutes, berthd's own steps have shorter timeouts).
     */
    static final Duration TOMBSTONE_RETENTION = Duration.ofMinutes(10);

    private final Map<String, T> byId = new ConcurrentHashMap<>();
    /** Removed IDs with the {@link #nanoClock} time of their removal. */
    private final Map<String, Long> removedAt = new ConcurrentHashMap<>();

    private final LongSupplier nanoClock;

    /**
     * Loads every record of the directory; a record it cannot read stops the load ({@link UnreadableRecordException}
     * names the file). An empty file is the one exception: only a transient write lost to a power failure leaves one
     * (see {@link #putTransient}), and what that record described went with the machine.
     */
    public RecordStore(Path dir, Json json, RecordFormat<T> format, Function<T, String> idOf) throws IOException {
        this(dir, json, format, idOf, System::nanoTime);
    }

    RecordStore(Path dir, Json json, RecordFormat<T> format, Function<T, String> idOf, LongSupplier nanoClock)
            throws IOException {
        this.nanoClock = nanoClock;
        this.dir = dir;
        this.json = json;
        this.idOf = idOf;
        Directories.createPrivate(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.getFileName().toString().startsWith(".")) {
                    Files.deleteIfExists(file);
                    continue;
                }
                if (Files.size(file) == 0) {
                    log.warn("ignoring empty record {}: a transient record lost to a power failure", file);
                    continue;
                }
                T record = format.read(file, json);
                byId.put(idOf.apply(record), record);
            }
        }
    }

    public Optional<T> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /**
     * By full ID, or by a prefix of at least {@code minPrefix} characters that only one ID starts with, as
     * crictl users type them; empty when nothing or more than one matches.
     */
    public Optional<T> find(String idOrPrefix, int minPrefix) {
        T exact = byId.get(idOrPrefix);
        if (exact != null || idOrPrefix.length() < minPrefix) {
            return Optional.ofNullable(exact);
        }
        List<T> matches = byId.entrySet().stream()
                .filter(e -> e.getKey().startsWith(idOrPrefix))
                .map(Map.Entry::getValue)
                .limit(2)
                .toList();
        return matches.size() == 1 ? Optional.of(matches.getFirst()) : Optional.empty();
    }

    public List<T> all() {
        return new ArrayList<>(byId.values());
    }

    /** Writes the record durably, then makes it visible. */
    public void put(T record) throws IOException {
        write(record, true);
    }

    /**
     * Writes a record of a transient state (a sandbox or container still being made) without fsync, then
     * makes it visible; the record's final state goes through {@link #put}, which is durable.
     *
     * <p>Crash semantics: if berthd dies, the record is on disk as far as the restarted berthd can tell
     * (the kernel's page cache outlives the process), so recovery finds it and rolls the half-made pod or
     * container back, exactly as with a synced write. Only a power loss or kernel crash can lose it, and
     * then what it describes went with the machine too: the pinned namespaces, the mounts, the runc state,
     * the conmon and container processes and the cgroups all live in memory (/run is tmpfs). What can
     * outlive a reboot unrecorded is disk garbage only (a container's empty upper dir, a host-local IP
     * lease that CNI itself writes without fsync), never a record that claims something that is not
     * there: an empty file is skipped when the store loads.
     */
    public void putTransient(T record) throws IOException {
        write(record, false);
    }

    /**
     * File and map change together under the entry's lock, and a removed ID stays removed while a racing call
     * may still run: an update that lost a race with a removal (a StartContainer finishing after
     * RemoveContainer) must not bring the record back. IDs are random and never reused; a removed one is
     * remembered for {@link #TOMBSTONE_RETENTION} only, as a node that runs pods for months would otherwise keep
     * every ID it ever removed.
     */
    private void write(T record, boolean durable) throws IOException {
        String id = idOf.apply(record);
        try {
            byId.compute(id, (key, old) -> {
                if (removedAt.containsKey(key)) {
                    return null;
                }
                try {
                    if (durable) {
                        json.writeAtomically(file(key), record);
                    } else {
                        json.writeAtomicallyUnsynced(file(key), record);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return record;
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    public void remove(String id) throws IOException {
        try {
            long now = nanoClock.getAsLong();
            removedAt.values().removeIf(at -> now - at > TOMBSTONE_RETENTION.toNanos());
            byId.compute(id, (key, old) -> {
                removedAt.put(key, now);
                try {
                    Files.deleteIfExists(file(key));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return null;
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** How many removed IDs are remembered. */
    int tombstones() {
        return removedAt.size();
    }

    private Path file(String id) {
        return dir.resolve(id + ".json");
    }
}
