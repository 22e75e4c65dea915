package dev.berth.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void writeReplacesContentAndLeavesNoTemporaryBehind() throws Exception {
        Path target = dir.resolve("sub/record.json");

        AtomicFiles.write(target, "old".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(target, "new".getBytes(StandardCharsets.UTF_8));

        assertThat(Files.readString(target)).isEqualTo("new");
        try (var files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void writeUnsyncedReplacesContentAndLeavesNoTemporaryBehind() throws Exception {
        Path target = dir.resolve("sub/record.json");

        AtomicFiles.writeUnsynced(target, "old".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.writeUnsynced(target, "new".getBytes(StandardCharsets.UTF_8));

        assertThat(Files.readString(target)).isEqualTo("new");
        try (var files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void writtenFilesAndTheDirsMadeForThemAreTheOwnersOnly() throws Exception {
        Path target = dir.resolve("made/sub/config.json");

        AtomicFiles.write(target, "{\"env\":[\"TOKEN=s3cret\"]}".getBytes(StandardCharsets.UTF_8));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
                .isEqualTo("rw-------");
        for (Path made : List.of(dir.resolve("made"), dir.resolve("made/sub"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made)))
                    .isEqualTo("rwx------");
        }
    }

    @Test
    void sweepDeletesOnlyTheTemporariesOfCutShortWrites() throws Exception {
        Path kept = Files.writeString(dir.resolve("record.json"), "{}");
        Path hidden = Files.writeString(dir.resolve(".hidden"), "not ours");
        Path temporary = Files.writeString(dir.resolve(".record.json.tmp-5f0e"), "{");

        AtomicFiles.sweepTemporaries(dir);
        AtomicFiles.sweepTemporaries(dir.resolve("missing"));

        assertThat(temporary).doesNotExist();
        assertThat(kept).exists();
        assertThat(hidden).exists();
    }
}
