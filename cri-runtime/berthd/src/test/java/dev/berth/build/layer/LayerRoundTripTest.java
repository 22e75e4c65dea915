package dev.berth.build.layer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.snapshot.LayerUnpacker;
import dev.berth.sys.DeviceNumber;
import dev.berth.sys.Syscalls;
import dev.berth.testkit.Privileges;
import dev.berth.testkit.layer.LayerTar;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An overlay upper directory written as a layer, unpacked with Berth's own unpacker and mounted over the
 * lower layer it changes; and listed by GNU tar.
 */
class LayerRoundTripTest {

    /** vfs_cap_data v2 granting cap_net_bind_service, effective. */
    private static final byte[] CAPABILITY = {1, 0, 0, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

    private static final byte[] BINARY = {0, 1, 2, (byte) 0xff, '\n'};
    private static final String LONG_NAME = "d".repeat(60) + "/" + "f".repeat(120);

    private final Syscalls sys = new Syscalls();

    @TempDir
    Path temp;

    @BeforeEach
    void requireRoot() {
        Privileges.requireRoot();
    }

    /** What a build step's upper directory looks like after deleting, replacing and adding files. */
    private Path upper() throws IOException {
        Path upper = Files.createDirectory(temp.resolve("upper"));
        Files.createDirectory(upper.resolve("a"));
        sys.mknod(upper.resolve("a/x"), Syscalls.S_IFCHR, DeviceNumber.NONE);
        Files.createDirectory(upper.resolve("b"));
        sys.lsetxattr(upper.resolve("b"), "trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII));
        Files.writeString(upper.resolve("b/new"), "new");
        Files.writeString(upper.resolve("h1"), "shared");
        Files.createLink(upper.resolve("h2"), upper.resolve("h1"));
        Path tool = upper.resolve("tool");
        Files.writeString(tool, "#!/bin/sh\n");
        sys.lchown(tool, 1000, 1001);
        sys.chmod(tool, 04750);
        sys.lsetxattr(tool, "security.capability", CAPABILITY);
        sys.lsetxattr(tool, "trusted.berth.test", BINARY);
        sys.symlink("../tool", upper.resolve("a/tool-link"));
        sys.mknod(upper.resolve("null"), Syscalls.S_IFCHR | 0666, new DeviceNumber(1, 3));
        sys.mknod(upper.resolve("pipe"), Syscalls.S_IFIFO | 0640, DeviceNumber.NONE);
        Path bigOwner = Files.writeString(upper.resolve("big-owner"), "uid beyond ustar's 7 octal digits");
        sys.lchown(bigOwner, 3_000_000, 3_000_001);
        Path longFile = upper.resolve(LONG_NAME);
        Files.createDirectories(longFile.getParent());
        Files.writeString(longFile, "long");
        return upper;
    }

    private Path lower() throws IOException {
        Path lower = Files.createDirectory(temp.resolve("lower"));
        byte[] tar = LayerTar.create()
                .dir("a", 0755)
                .file("a/x", "x", 0644)
                .file("a/kept", "kept", 0644)
                .dir("b", 0755)
                .file("b/old", "old", 0644)
                .dir("c", 0755)
                .file("c/z", "z", 0644)
                .build();
        new LayerUnpacker(sys).unpack(new ByteArrayInputStream(tar), lower);
        return lower;
    }

    private Path write(Path upper) throws IOException {
        DirectorySink sink = new DirectorySink(Files.createDirectory(temp.resolve("blobs")));
        LayerBlob blob = new LayerWriter(sys, sink).write(upper, OptionalLong.of(1_700_000_000L));
        return sink.blob(blob.digest());
    }

    @Test
    void unpackedLayerOverItsLowerShowsTheBuildStepsChanges() throws Exception {
        Path lower = lower();
        Path blob = write(upper());
        Path layer = Files.createDirectory(temp.resolve("layer"));
        try (InputStream tar = Files.newInputStream(blob)) {
            new LayerUnpacker(sys).unpack(tar, layer);
        }
        Path merged = Files.createDirectory(temp.resolve("merged"));

        run("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + layer + ":" + lower, merged.toString());
        try {
            assertThat(listing(merged.resolve("a"))).containsExactly("kept", "tool-link");
            assertThat(listing(merged.resolve("b"))).containsExactly("new");
            assertThat(merged.resolve("c/z")).hasContent("z");
            assertThat(inode(merged.resolve("h1"))).isEqualTo(inode(merged.resolve("h2")));
            assertThat(Files.readSymbolicLink(merged.resolve("a/tool-link"))).isEqualTo(Path.of("../tool"));
            assertThat(merged.resolve(LONG_NAME)).hasContent("long");
        } finally {
            run("umount", merged.toString());
        }
        Map<String, Object> tool =
                Files.readAttributes(layer.resolve("tool"), "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
        assertThat(tool)
                .containsEntry("mode", 0104750)
                .containsEntry("uid", 1000)
                .containsEntry("gid", 1001);
        assertThat(Files.readAttributes(layer.resolve("big-owner"), "unix:uid,gid", LinkOption.NOFOLLOW_LINKS))
                .containsEntry("uid", 3_000_000)
                .containsEntry("gid", 3_000_001);
        assertThat(sys.lgetxattr(layer.resolve("tool"), "security.capability")).hasValue(CAPABILITY);
        assertThat(sys.lgetxattr(layer.resolve("tool"), "trusted.berth.test")).hasValue(BINARY);
        assertThat(Files.readAttributes(layer.resolve("null"), "unix:rdev", LinkOption.NOFOLLOW_LINKS)
                        .get("rdev"))
                .isEqualTo(new DeviceNumber(1, 3).encode());
        assertThat(Files.readAttributes(layer.resolve("pipe"), "unix:mode", LinkOption.NOFOLLOW_LINKS)
                        .get("mode"))
                .isEqualTo(Syscalls.S_IFIFO | 0640);
    }

    @Test
    void gnuTarListsTheLayersEntries() throws Exception {
        Path blob = write(upper());

        List<String> lines = run("tar", "-tvf", blob.toString()).lines().toList();

        assertThat(lines.stream().map(LayerRoundTripTest::lastField))
                .containsExactly(
                        "a/",
                        "a/tool-link -> ../tool",
                        "a/.wh.x",
                        "b/",
                        "b/.wh..wh..opq",
                        "b/new",
                        "big-owner",
                        "d".repeat(60) + "/",
                        LONG_NAME,
                        "h1",
                        "h2 link to h1",
                        "null",
                        "pipe",
                        "tool");
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("crw-").contains("1,3"));
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("-rwsr-x--- 1000/1001"));
        assertThat(lines).allSatisfy(line -> assertThat(line).contains("2023-11-14"));
    }

    /** The name column of {@code tar -tv}: everything after the time. */
    private static String lastField(String line) {
        return line.replaceFirst("^\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+", "");
    }

    private static long inode(Path path) throws IOException {
        return (long) Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS);
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(p -> Files.exists(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " timed out");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "): " + output);
        }
        return output;
    }
}
