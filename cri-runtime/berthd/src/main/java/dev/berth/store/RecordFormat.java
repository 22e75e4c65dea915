package dev.berth.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;

/**
 * How one kind of record reads from its JSON: the current format carries {@code "version": N}; the records of
 * releases before versioning carry no version field and go through the kind's {@link Migration}.
 */
public final class RecordFormat<T> {

    public static final String VERSION_FIELD = "version";

    /** Reads a record of the unversioned format that releases before versioning wrote. */
    @FunctionalInterface
    public interface Migration<T> {
        T fromUnversioned(JsonNode node, Json json) throws IOException;
    }

    private final Class<T> type;
    private final int version;
    private final Migration<T> migration;

    public RecordFormat(Class<T> type, int version, Migration<T> migration) {
        this.type = type;
        this.version = version;
        this.migration = migration;
    }

    public T read(Path file, Json json) throws UnreadableRecordException {
        JsonNode node;
        try {
            node = json.mapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UnreadableRecordException(file, "not JSON (" + e.getMessage() + ")", e);
        }
        if (node == null || !node.isObject()) {
            throw new UnreadableRecordException(file, "not a JSON object");
        }
        JsonNode found = node.get(VERSION_FIELD);
        try {
            if (found == null) {
                return migration.fromUnversioned(node, json);
            }
            if (!found.isInt() || found.intValue() != version) {
                throw new UnreadableRecordException(
                        file,
                        "format version " + found + " is not one this berthd reads (" + version
                                + ", or unversioned records of earlier releases); was it written by a newer berthd?");
            }
            return json.mapper().treeToValue(node, type);
        } catch (UnreadableRecordException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new UnreadableRecordException(
                    file,
                    "not a " + type.getSimpleName() + " of format version " + (found == null ? "unversioned" : found)
                            + " (" + e.getMessage() + ")",
                    e);
        }
    }
}
