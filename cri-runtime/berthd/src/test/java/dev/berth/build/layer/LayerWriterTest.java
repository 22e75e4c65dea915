package dev.berth.build.layer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.content.ContentStore;
import dev.berth.image.Digest;
import dev.berth.sys.Syscalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.OptionalLong;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layer writer without root: plain files, directories and symlinks. */
class LayerWriterTest {

    private static final long EPOCH = 1_700_000_000L;

    private final Syscalls sys = new Syscalls();

    @TempDir
    Path temp;

    private Path tree(String name, Instant mtime) throws IOException {
        Path root = Files.createDirectories(temp.resolve(name));
        Files.createDirectories(root.resolve("etc/app"));
        Files.writeString(root.resolve("etc/app/config"), "key=value\n");
        Files.writeString(root.resolve("hello"), "hello world\n");
        Files.createSymbolicLink(root.resolve("etc/link"), Path.of("app/config"));
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted((a, b) -> b.compareTo(a)).toList()) {
                long seconds = mtime.getEpochSecond();
                sys.setTimesNoFollow(path, seconds, 0, seconds, 0);
            }
        }
        return root;
    }

    @Test
    void theBlobIsTheTarItselfItsDigestTheDiffId() throws IOException {
        DirectorySink sink = new DirectorySink(Files.createDirectory(temp.resolve("blobs")));

        LayerBlob blob = new LayerWriter(sys, sink).write(tree("t", Instant.now()), OptionalLong.empty());

        byte[] tar = Files.readAllBytes(sink.blob(blob.digest()));
        assertThat(Digest.sha256(tar)).isEqualTo(blob.digest()).isEqualTo(blob.diffId());
        assertThat(blob.size()).isEqualTo(tar.length);
        try (TarArchiveInputStream entries = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            assertThat(entries.getNextEntry()).isNotNull();
        }
        try (var left = Files.list(sink.dir())) {
            assertThat(left).hasSize(1);
        }
    }

    @Test
    void sameTreeWithDifferentMtimesGivesTheSameLayerUnderSourceDateEpoch() throws IOException {
        DirectorySink sink = new DirectorySink(Files.createDirectory(temp.resolve("blobs")));
        LayerWriter writer = new LayerWriter(sys, sink);

        LayerBlob first = writer.write(tree("one", Instant.parse("2025-03-01T10:00:00Z")), OptionalLong.of(EPOCH));
        Files.delete(sink.blob(first.digest()));
        LayerBlob second = writer.write(tree("two", Instant.parse("2026-06-01T12:30:00Z")), OptionalLong.of(EPOCH));

        assertThat(second).isEqualTo(first);
    }

    @Test
    void withoutSourceDateEpochTheMtimesMakeTheDifference() throws IOException {
        DirectorySink sink = new DirectorySink(Files.createDirectory(temp.resolve("blobs")));
        LayerWriter writer = new LayerWriter(sys, sink);

        LayerBlob first = writer.write(tree("one", Instant.parse("2025-03-01T10:00:00Z")), OptionalLong.empty());
        LayerBlob second = writer.write(tree("two", Instant.parse("2025-03-01T10:00:01Z")), OptionalLong.empty());

        assertThat(second.diffId()).isNotEqualTo(first.diffId());
    }

    @Test
    void mtimesBeforeTheEpochAreKept() throws IOException {
        DirectorySink sink = new DirectorySink(Files.createDirectory(temp.resolve("blobs")));
        LayerWriter writer = new LayerWriter(sys, sink);

        LayerBlob clamped = writer.write(tree("one", Instant.ofEpochSecond(EPOCH - 10)), OptionalLong.of(EPOCH));
        LayerBlob unclamped = writer.write(tree("two", Instant.ofEpochSecond(EPOCH - 10)), OptionalLong.empty());

        assertThat(clamped).isEqualTo(unclamped);
    }

    @Test
    void contentStoreSinkPublishesTheBlobUnderItsDigest() throws IOException {
        ContentStore store = new ContentStore(temp.resolve("content"));

        LayerBlob blob = new LayerWriter(sys, new ContentStoreLayerSink(store))
                .write(tree("t", Instant.now()), OptionalLong.empty());

        assertThat(store.contains(blob.digest())).isTrue();
        assertThat(Digest.sha256(store.read(blob.digest()).orElseThrow())).isEqualTo(blob.digest());
        try (var ingests = Files.list(temp.resolve("content/ingest"))) {
            assertThat(ingests).isEmpty();
        }
    }
}
