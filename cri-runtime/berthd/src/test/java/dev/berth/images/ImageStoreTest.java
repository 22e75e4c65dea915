package dev.berth.images;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.store.Json;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
