package dev.berth.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.image.Digest;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobIngestTest {

    @TempDir
    Path dir;

    @Test
    void teedStreamPublishesTheBlobOnlyAfterCommit() throws Exception {
        ContentStore store = new ContentStore(dir);
        byte[] data = "layer bytes".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(data);

        try (BlobIngest ingest = store.ingest(digest, data.length)) {
            InputStream in = ingest.tee(new ByteArrayInputStream(data));
            assertThat(in.readAllBytes()).isEqualTo(data);
            assertThat(store.contains(digest)).isFalse();
            ingest.commit();
        }

        assertThat(Files.readAllBytes(store.path(digest))).isEqualTo(data);
        try (var leftovers = Files.list(dir.resolve("ingest"))) {
            assertThat(leftovers).isEmpty();
        }
    }

    @Test
    void mismatchingDigestIsRejectedAndNothingIsStored() throws Exception {
        ContentStore store = new ContentStore(dir);
        byte[] data = "tampered".getBytes(StandardCharsets.UTF_8);
        Digest claimed = Digest.sha256("original".getBytes(StandardCharsets.UTF_8));

        try (BlobIngest ingest = store.ingest(claimed, data.length)) {
            ingest.tee(new ByteArrayInputStream(data)).readAllBytes();
            assertThatThrownBy(ingest::commit)
                    .isInstanceOf(ContentDigestMismatchException.class)
                    .hasMessageContaining(claimed.toString());
        }

        assertThat(store.list()).isEmpty();
        try (var leftovers = Files.list(dir.resolve("ingest"))) {
            assertThat(leftovers).isEmpty();
        }
    }

    @Test
    void blobLargerThanItsDescriptorIsCutOff() throws Exception {
        ContentStore store = new ContentStore(dir);
        byte[] data = new byte[100];

        try (BlobIngest ingest = store.ingest(Digest.sha256(data), 10)) {
            InputStream in = ingest.tee(new ByteArrayInputStream(data));
            assertThatThrownBy(in::readAllBytes).hasMessageContaining("larger than the 10 bytes");
        }
    }
}
