package dev.berth.network;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.store.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** One file per attached pod under the state dir, written atomically so a crash never tears it. */
final class ResultCache {

    private final Path dir;
    private final ObjectMapper mapper;

    ResultCache(Path dir, ObjectMapper mapper) {
        this.dir = dir;
        this.mapper = mapper;
    }

    void put(CachedAttachment attachment) throws IOException {
        AtomicFiles.write(file(attachment.podId(), attachment.ifName()), mapper.writeValueAsBytes(attachment));
    }

    Optional<CachedAttachment> get(String podId, String ifName) throws IOException {
        Path file = file(podId, ifName);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(mapper.readValue(Files.readAllBytes(file), CachedAttachment.class));
    }

    void remove(String podId, String ifName) throws IOException {
        Files.deleteIfExists(file(podId, ifName));
    }

    private Path file(String podId, String ifName) {
        // podId is validated by PodNetworkRequest to CNI's container ID alphabet, so it cannot escape dir.
        return dir.resolve(podId + "-" + ifName + ".json");
    }
}
