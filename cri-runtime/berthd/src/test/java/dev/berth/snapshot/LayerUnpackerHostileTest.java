package dev.berth.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.sys.Syscalls;
import dev.berth.testkit.Privileges;
import dev.berth.testkit.layer.LayerTar;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layers that try to write outside their snapshot. Each must be refused with an exception naming the
 * offending entry, and the directory around the snapshot must stay exactly as it was. Escapes aim at a
 * sentinel beside the snapshot rather than at real system files ({@code /etc/passwd}), so that a
 * regression shows up as a failed assertion and not as a damaged machine; {@link EntryNamesTest} refuses
 * the literal system paths.
 */
class LayerUnpackerHostileTest {

    private final Syscalls sys = new Syscalls();
    private final LayerUnpacker unpacker = new LayerUnpacker(sys);

    @TempDir
    Path temp;

    Path target;
    Path sentinel;

    @BeforeEach
    void makeTargetBesideASentinel() throws IOException {
        Privileges.requireRoot();
        target = Files.createDirectory(temp.resolve("fs"));
        sentinel = Files.writeString(temp.resolve("sentinel"), "untouched");
    }

    @Test
    void unpackRejectsDotDotEscape() {
        assertRejected("../escape", LayerTar.create().raw(file("../escape"), "x".getBytes()));
        assertThat(temp.resolve("escape")).doesNotExist();
    }

    @Test
    void unpackRejectsDotDotInTheMiddleOfTheName() {
        assertRejected("a/../../escape", LayerTar.create().dir("a", 0755).raw(file("a/../../escape"), "x".getBytes()));
    }

    @Test
    void unpackRejectsAbsoluteNames() {
        String absolute = temp.resolve("escape").toString();
        assertRejected(absolute, LayerTar.create().raw(file(absolute), "x".getBytes()));
        assertRejected(sentinel.toString(), LayerTar.create().raw(file(sentinel.toString()), "overwritten".getBytes()));
    }

    @Test
    void unpackRejectsEntryThatEscapesThroughAnAbsoluteSymlink() {
        String throughRoot = "a/" + temp.toString().substring(1) + "/escape";
        assertRejected(throughRoot, LayerTar.create().symlink("a", "/").file(throughRoot, "x", 0644));
        assertThat(temp.resolve("escape")).doesNotExist();
    }

    @Test
    void unpackRejectsEntryThatEscapesThroughSymlinkToParent() {
        assertRejected("a/x", LayerTar.create().symlink("a", "..").file("a/x", "x", 0644));
        assertRejected("a/etc/", LayerTar.create().symlink("a", "..").dir("a/etc", 0700));
        assertRejected("a/etc/passwd", LayerTar.create().symlink("a", "..").symlink("a/etc/passwd", "/x"));
        assertRejected("a/dev", LayerTar.create().symlink("a", "..").fifo("a/dev"));
    }

    @Test
    void unpackRejectsEntryThatEscapesThroughASymlinkThatReplacedADirectory() {
        assertRejected(
                "a/x",
                LayerTar.create()
                        .dir("a", 0755)
                        .file("a/y", "y", 0644)
                        .symlink("a", "..")
                        .file("a/x", "x", 0644));
    }

    @Test
    void unpackRejectsEntryThatEscapesThroughASymlinkDeeperDown() {
        assertRejected(
                "a/b/c/x",
                LayerTar.create().dir("a/b", 0755).symlink("a/b/c", "../../..").file("a/b/c/x", "x", 0644));
    }

    @Test
    void unpackRejectsHardlinkThatEscapes() throws IOException {
        assertRejected("h", LayerTar.create().hardlink("h", "../sentinel"));
        assertRejected("h", LayerTar.create().hardlink("h", "../../etc/passwd"));
        assertThat(Stat.of(sentinel).links()).isEqualTo(1);
    }

    @Test
    void unpackRejectsHardlinkToAnAbsolutePath() {
        assertRejected("h", LayerTar.create().hardlink("h", sentinel.toString()));
    }

    @Test
    void unpackRejectsHardlinkThroughASymlink() {
        assertRejected("h", LayerTar.create().symlink("a", "..").hardlink("h", "a/sentinel"));
    }

    @Test
    void unpackRejectsHardlinkToAFileNotInTheLayer() {
        assertRejected("h", LayerTar.create().hardlink("h", "usr/bin/missing"));
        assertRejected("h", LayerTar.create().file("f", "f", 0644).hardlink("h", "f/below"));
    }

    @Test
    void unpackRejectsWhiteoutThroughASymlink() {
        assertRejected("a/.wh.sentinel", LayerTar.create().symlink("a", "..").whiteout("a/sentinel"));
        assertThat(sentinel).hasContent("untouched");
    }

    @Test
    void unpackRejectsOpaqueMarkerThroughASymlink() throws IOException {
        assertRejected("a/.wh..wh..opq", LayerTar.create().symlink("a", "..").opaque("a"));
        assertThat(sys.lgetxattr(temp, "trusted.overlay.opaque")).isEmpty();
    }

    @Test
    void unpackRejectsNamesWithNulBytesAndEmptyNames() {
        String withNul = "x".repeat(120) + "\0/../escape";
        assertRejected(withNul, LayerTar.create().raw(file(withNul), "x".getBytes()));
        assertRejected("", LayerTar.create().raw(file(""), "x".getBytes()));
    }

    @Test
    void unpackRejectsEntryTypesItDoesNotUnpack() {
        assertRejected(
                "sparse", LayerTar.create().raw(LayerTar.entry("sparse", TarConstants.LF_GNUTYPE_SPARSE), new byte[0]));
    }

    /** The unpack fails naming the entry, and nothing beside the target changed. */
    private void assertRejected(String entryName, LayerTar tar) {
        byte[] bytes = tar.build();
        try {
            emptyTarget();
            Map<String, String> before = outside();
            assertThatThrownBy(() -> unpacker.unpack(new ByteArrayInputStream(bytes), target))
                    .isInstanceOfSatisfying(
                            LayerRejectedException.class,
                            e -> assertThat(e.entryName()).isEqualTo(entryName))
                    .hasMessageContaining(entryName.replace("\0", "\\0"));
            assertThat(outside()).isEqualTo(before);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void emptyTarget() throws IOException {
        dev.berth.store.Directories.deleteRecursively(target);
        Files.createDirectory(target);
    }

    private static TarArchiveEntry file(String name) {
        return LayerTar.entry(name, TarConstants.LF_NORMAL);
    }

    /** Everything under the temp dir but outside the target, with the metadata an escape would change. */
    private Map<String, String> outside() throws IOException {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(temp)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                if (path.startsWith(target)) {
                    continue;
                }
                Stat stat = Stat.of(path);
                String content = Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)
                        ? Files.readString(path, StandardCharsets.UTF_8)
                        : "";
                tree.put(
                        temp.relativize(path).toString(),
                        stat.type() + " " + stat.permissions() + " " + stat.uid()
                                + ":" + stat.gid() + " links=" + stat.links() + " mtime=" + stat.mtime()
                                + " xattr="
                                + sys.lgetxattr(path, "trusted.overlay.opaque").isPresent() + " " + content);
            }
        }
        return tree;
    }
}
