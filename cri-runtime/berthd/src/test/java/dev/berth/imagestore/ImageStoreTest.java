package dev.berth.imagestore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.store.Json;
import dev.berth.store.UnreadableRecordException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageStoreTest {

    @TempDir
    Path dir;

    private static ImageRecord image(String id) {
        return new ImageRecord(id, List.of(), List.of(), "sha256:m" + id, "mt", id, List.of(), 10, "linux/amd64", 0);
    }

    @Test
    void taggingMergesNamesIntoTheRecordWithTheSameId() throws Exception {
        ImageStore store = new ImageStore(dir, new Json());

        store.tag(image("sha256:1"), List.of("r/a:1"), List.of("r/a@sha256:x"));
        store.tag(image("sha256:1"), List.of("r/a:2"), List.of());

        assertThat(store.byId("sha256:1").orElseThrow().repoTags()).containsExactly("r/a:1", "r/a:2");
        assertThat(store.byReference("r/a@sha256:x")).map(ImageRecord::id).contains("sha256:1");
    }

    @Test
    void aTagMovesToTheNewImageAndAnImageLeftNamelessIsReported() throws Exception {
        ImageStore store = new ImageStore(dir, new Json());
        store.tag(image("sha256:old"), List.of("r/a:latest"), List.of());

        List<ImageRecord> orphaned = store.tag(image("sha256:new"), List.of("r/a:latest"), List.of());

        assertThat(store.byReference("r/a:latest")).map(ImageRecord::id).contains("sha256:new");
        assertThat(orphaned).extracting(ImageRecord::id).containsExactly("sha256:old");
    }

    @Test
    void recordsSurviveARestart() throws Exception {
        new ImageStore(dir, new Json()).tag(image("sha256:1"), List.of("r/a:1"), List.of());

        ImageStore reopened = new ImageStore(dir, new Json());

        assertThat(reopened.byReference("r/a:1")).map(ImageRecord::id).contains("sha256:1");
    }

    /** {@code records/unversioned/} as the last release before versioning wrote it, {@code records/v1/} as now. */
    @ParameterizedTest
    @ValueSource(strings = {"unversioned", "v1"})
    void anImageRecordOfEitherFormatLoadsWithEveryField(String format) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/records/" + format + "/image.json")) {
            Files.copy(in, dir.resolve("sha256-" + "ab".repeat(32) + ".json"));
        }
        String id = "sha256:" + "ab".repeat(32);

        ImageRecord record = new ImageStore(dir, new Json()).byId(id).orElseThrow();

        assertThat(record)
                .isEqualTo(new ImageRecord(
                        1,
                        id,
                        List.of("registry.test/web:1"),
                        List.of("registry.test/web@sha256:" + "cd".repeat(32)),
                        "sha256:" + "cd".repeat(32),
                        "application/vnd.oci.image.manifest.v1+json",
                        id,
                        List.of(new LayerRecord(
                                "sha256:" + "33".repeat(32),
                                "application/vnd.oci.image.layer.v1.tar+gzip",
                                1234,
                                "sha256:" + "44".repeat(32),
                                "sha256:" + "11".repeat(32))),
                        5678,
                        "linux/amd64",
                        1700000000500000000L));
    }

    @Test
    void anImageRecordOfAnUnknownVersionStopsTheLoadNamingTheFile() throws Exception {
        Path file = dir.resolve("sha256-9.json");
        Files.writeString(file, "{\"version\":9,\"id\":\"sha256:9\"}");

        assertThatThrownBy(() -> new ImageStore(dir, new Json()))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("format version 9");
    }
}
