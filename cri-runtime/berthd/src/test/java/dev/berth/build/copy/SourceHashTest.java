package dev.berth.build.copy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.RootfsPath;
import dev.berth.snapshot.LayerUnpacker;
import dev.berth.sys.Syscalls;
import dev.berth.testkit.Privileges;
import dev.berth.testkit.layer.LayerTar;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceHashTest {

    private final TarArchives archives = new TarArchives(new LayerUnpacker(new Syscalls()));

    @TempDir
    Path temp;

    @BeforeEach
    void requireRoot() {
        Privileges.requireRoot();
    }

    @Test
    void digestsTakenWhileUnpackingHashAsReadingTheFilesBackDoes() throws IOException {
        // a name written twice, a hard link to the first version, a file whose directory a later entry replaces
        LayerTar tar = LayerTar.create()
                .file("src/a.txt", "first\n", 0644)
                .hardlink("src/link", "src/a.txt")
                .file("src/a.txt", "second, longer\n", 0644)
                .file("src/gone/x", "under a directory that goes\n", 0644)
                .symlink("src/gone", "a.txt")
                .file("src/data.bin", new byte[200_000], 0600);
        Path context = Files.createDirectory(temp.resolve("context"));
        ContextDigests digests = new ContextDigests();
        archives.extract(new ByteArrayInputStream(tar.build()), context, digests);
        List<CopySources.Source> sources = CopySources.match(new RootfsPath(context), "src");

        String recorded = SourceHash.of(sources, false, digests);

        assertThat(recorded).isEqualTo(SourceHash.of(sources, false, ContextDigests.NONE));
        assertThat(context.resolve("src/a.txt")).hasContent("second, longer\n");
        assertThat(context.resolve("src/link")).hasContent("first\n");
    }

    @Test
    void aChangedByteOrModeChangesTheHash() throws IOException {
        String original = hashOf(LayerTar.create().file("f", "content\n", 0644));

        assertThat(hashOf(LayerTar.create().file("f", "content\n", 0644))).isEqualTo(original);
        assertThat(hashOf(LayerTar.create().file("f", "Content\n", 0644))).isNotEqualTo(original);
        assertThat(hashOf(LayerTar.create().file("f", "content\n", 0755))).isNotEqualTo(original);
    }

    private String hashOf(LayerTar tar) throws IOException {
        Path context = Files.createTempDirectory(temp, "context");
        ContextDigests digests = new ContextDigests();
        archives.extract(new ByteArrayInputStream(tar.build()), context, digests);
        return SourceHash.of(CopySources.match(new RootfsPath(context), "f"), false, digests);
    }
}
