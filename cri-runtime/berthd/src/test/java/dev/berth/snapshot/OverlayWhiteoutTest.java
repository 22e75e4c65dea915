package dev.berth.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.sys.DeviceNumber;
import dev.berth.sys.Syscalls;
import dev.berth.testkit.Privileges;
import dev.berth.testkit.layer.LayerTar;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whiteouts in overlayfs's own format, checked on disk and through a real overlay mount. */
class OverlayWhiteoutTest {

    private final Syscalls sys = new Syscalls();
    private final LayerUnpacker unpacker = new LayerUnpacker(sys);

    @TempDir
    Path temp;

    @BeforeEach
    void requireRoot() {
        Privileges.requireRoot();
    }

    @Test
    void whiteoutBecomesACharacterDeviceZeroZeroOwnedLikeTheWhiteoutEntry() throws IOException {
        Path fs = unpack(
                "fs",
                LayerTar.create()
                        .dir("a", 0755)
                        .whiteout("a/x")
                        .owner("a/.wh.x", 1000, 1001)
                        .whiteout("top"));

        assertThat(Stat.of(fs.resolve("a/x")))
                .extracting(Stat::type, Stat::device, Stat::uid, Stat::gid)
                .containsExactly(Stat.CHAR_DEVICE, DeviceNumber.NONE, 1000, 1001);
        assertThat(Stat.of(fs.resolve("top")).type()).isEqualTo(Stat.CHAR_DEVICE);
        assertThat(listing(fs.resolve("a"))).containsExactly("x");
    }

    @Test
    void opaqueMarkerSetsTrustedOverlayOpaqueOnItsDirectoryAndCreatesAMissingOne() throws IOException {
        Path fs = unpack(
                "fs",
                LayerTar.create()
                        .dir("b", 0700)
                        .opaque("b")
                        .file("b/new", "new", 0644)
                        .opaque("never/listed"));

        assertThat(sys.lgetxattr(fs.resolve("b"), "trusted.overlay.opaque"))
                .hasValue("y".getBytes(StandardCharsets.US_ASCII));
        assertThat(listing(fs.resolve("b"))).containsExactly("new");
        assertThat(Stat.of(fs.resolve("b")).permissions()).isEqualTo(0700);
        assertThat(sys.lgetxattr(fs.resolve("never/listed"), "trusted.overlay.opaque"))
                .hasValue("y".getBytes(StandardCharsets.US_ASCII));
        assertThat(Stat.of(fs.resolve("never/listed")).permissions()).isEqualTo(0755);
    }

    @Test
    void otherWhiteoutMetadataIsIgnored() throws IOException {
        Path fs = unpack(
                "fs",
                LayerTar.create()
                        .dir(".wh..wh.plnk", 0700)
                        .file(".wh..wh.plnk/1234", "aufs hardlink", 0644)
                        .dir("d", 0755)
                        .file("d/.wh..wh.aufs", "", 0644));

        assertThat(listing(fs)).containsExactly("d");
        assertThat(listing(fs.resolve("d"))).isEmpty();
    }

    @Test
    void overlayMountOfTwoUnpackedLayersShowsWhiteoutsAndOpaqueDirectories() throws Exception {
        Path lower1 = unpack(
                "lower1",
                LayerTar.create()
                        .dir("a", 0755)
                        .file("a/x", "x", 0644)
                        .file("a/kept", "kept", 0644)
                        .dir("b", 0755)
                        .file("b/y", "y", 0644)
                        .dir("c", 0755)
                        .file("c/z", "z", 0644));
        Path lower2 = unpack(
                "lower2",
                LayerTar.create().whiteout("a/x").dir("b", 0755).opaque("b").file("b/new", "new", 0644));
        Path merged = Files.createDirectory(temp.resolve("merged"));

        run("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + lower2 + ":" + lower1, merged.toString());
        try {
            assertThat(listing(merged.resolve("a"))).containsExactly("kept");
            assertThat(listing(merged.resolve("b"))).containsExactly("new");
            assertThat(merged.resolve("b/new")).hasContent("new");
            assertThat(merged.resolve("c/z")).hasContent("z");
        } finally {
            run("umount", merged.toString());
        }
    }

    private Path unpack(String name, LayerTar tar) throws IOException {
        Path fs = Files.createDirectory(temp.resolve(name));
        unpacker.unpack(new ByteArrayInputStream(tar.build()), fs);
        return fs;
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(p -> Files.exists(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " timed out");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "): " + output);
        }
    }
}
