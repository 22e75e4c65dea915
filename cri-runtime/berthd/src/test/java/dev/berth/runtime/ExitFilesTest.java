package dev.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExitFilesTest {

    @TempDir
    Path dir;

    @Test
    void aRunningContainerHasNoExitYet() throws Exception {
        ExitFiles files = new ExitFiles(dir);

        assertThat(files.exitCode("c1")).isEmpty();
        assertThat(files.exitedAt("c1")).isEmpty();
        assertThat(files.oomKilled(dir)).isFalse();
    }

    @Test
    void exitedIdsNamesEveryContainerWithAnExitFileAndNoTemporaries() throws Exception {
        Files.writeString(dir.resolve("c1"), "0");
        Files.writeString(dir.resolve("c2"), "137");
        Files.writeString(dir.resolve(".c3.tmp"), "1");

        assertThat(new ExitFiles(dir).exitedIds()).containsExactlyInAnyOrder("c1", "c2");
        assertThat(new ExitFiles(dir.resolve("missing")).exitedIds()).isEmpty();
    }

    @Test
    void readsConmonsExitCodeAndTheFilesMtimeAsExitTime() throws Exception {
        Files.writeString(dir.resolve("c1"), "137");
        Instant exited = Instant.parse("2024-05-01T10:00:00Z");
        Files.setLastModifiedTime(dir.resolve("c1"), FileTime.from(exited));
        ExitFiles files = new ExitFiles(dir);

        assertThat(files.exitCode("c1")).hasValue(137);
        assertThat(files.exitedAt("c1")).hasValue(exited);

        files.remove("c1");
        assertThat(files.exitCode("c1")).isEmpty();
    }

    @Test
    void conmonsOomMarkerInThePersistDirMeansOomKilled() throws Exception {
        Files.createFile(dir.resolve("oom"));

        assertThat(new ExitFiles(dir).oomKilled(dir)).isTrue();
    }

    @Test
    void garbageInTheExitFileIsAClearError() throws Exception {
        Files.writeString(dir.resolve("c1"), "oops");

        assertThatThrownBy(() -> new ExitFiles(dir).exitCode("c1")).hasMessageContaining("holds no exit code: 'oops'");
    }

    @Test
    void anIdThatWouldEscapeTheDirIsRejected() {
        assertThatThrownBy(() -> new ExitFiles(dir).exitCode("../etc/passwd"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
