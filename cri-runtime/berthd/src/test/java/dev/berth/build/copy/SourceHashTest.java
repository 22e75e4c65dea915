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
        ContextDigests digests = new ContextDigests(null);
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

    @Test
    void aKeptContextGivesTheNextUnpackItsUnchangedFilesAsLinksAndNothingElse() throws IOException {
        ContextDonor donor = new ContextDonor(temp.resolve("kept"));
        LayerTar first = LayerTar.create()
                .file("src/same.txt", "unchanged\n", 0644)
                .file("src/edited.txt", "before\n", 0644)
                .file("src/mode.sh", "echo\n", 0644)
                .file("src/linked.txt", "shared\n", 0644);
        Path one = unpackInto("build-1", first, donor.digests());
        ContextDigests firstDigests = lastDigests;
        donor.keep(one, "build-1", firstDigests);
        Path kept = temp.resolve("kept/build-1");
        LayerTar second = LayerTar.create()
                .file("src/same.txt", "unchanged\n", 0644)
                .file("src/edited.txt", "after!\n", 0644)
                .file("src/mode.sh", "echo\n", 0755)
                .file("src/linked.txt", "shared\n", 0644)
                .hardlink("src/alias.txt", "src/linked.txt")
                .mode("src/alias.txt", 0600);

        Path two = unpackInto("build-2", second, donor.digests());

        assertThat(inode(two.resolve("src/same.txt"))).isEqualTo(inode(kept.resolve("src/same.txt")));
        assertThat(inode(two.resolve("src/edited.txt"))).isNotEqualTo(inode(kept.resolve("src/edited.txt")));
        assertThat(two.resolve("src/edited.txt")).hasContent("after!\n");
        assertThat(inode(two.resolve("src/mode.sh"))).isNotEqualTo(inode(kept.resolve("src/mode.sh")));
        assertThat(Files.getAttribute(two.resolve("src/mode.sh"), "unix:mode")).isEqualTo(0100755);
        // the hard link entry's chmod went to a copy of its own, not to the kept context's inode
        assertThat(inode(two.resolve("src/linked.txt"))).isNotEqualTo(inode(kept.resolve("src/linked.txt")));
        assertThat(Files.getAttribute(kept.resolve("src/linked.txt"), "unix:mode"))
                .isEqualTo(0100644);
        assertThat(Files.getAttribute(two.resolve("src/alias.txt"), "unix:mode"))
                .isEqualTo(0100600);
        assertThat(two.resolve("src/alias.txt")).hasContent("shared\n");
        List<CopySources.Source> sources = CopySources.match(new RootfsPath(two), "src");
        assertThat(SourceHash.of(sources, false, lastDigests))
                .isEqualTo(SourceHash.of(sources, false, ContextDigests.NONE));
    }

    private ContextDigests lastDigests;

    private Path unpackInto(String name, LayerTar tar, ContextDigests digests) throws IOException {
        Path context = Files.createDirectories(temp.resolve(name).resolve("context"));
        archives.extract(new ByteArrayInputStream(tar.build()), context, digests);
        lastDigests = digests;
        return context;
    }

    private static Object inode(Path path) throws IOException {
        return Files.getAttribute(path, "unix:ino", java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    private String hashOf(LayerTar tar) throws IOException {
        Path context = Files.createTempDirectory(temp, "context");
        ContextDigests digests = new ContextDigests(null);
        archives.extract(new ByteArrayInputStream(tar.build()), context, digests);
        return SourceHash.of(CopySources.match(new RootfsPath(context), "f"), false, digests);
    }
}
