package dev.berth.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The JSON codec of berthd's on-disk records; one configured mapper shared by the stores. */
public final class Json {

    private final ObjectMapper mapper = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);

    public byte[] toBytes(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String toPrettyString(Object value) {
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public <T> T read(Path file, Class<T> type) throws IOException {
        return mapper.readValue(Files.readAllBytes(file), type);
    }

    public void writeAtomically(Path file, Object value) throws IOException {
        AtomicFiles.write(file, toBytes(value));
    }

    /** See {@link AtomicFiles#writeUnsynced}. */
    public void writeAtomicallyUnsynced(Path file, Object value) throws IOException {
        AtomicFiles.writeUnsynced(file, toBytes(value));
    }

    public ObjectMapper mapper() {
        return mapper;
    }
}
