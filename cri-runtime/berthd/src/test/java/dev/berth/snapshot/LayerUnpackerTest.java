package dev.berth.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.sys.DeviceNumber;
import dev.berth.sys.Syscalls;
import dev.berth.testkit.Privileges;
import dev.berth.testkit.layer.LayerTar;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerUnpackerTest {

    /** cap_setgid, cap_setuid, cap_net_bind_service +ep (VFS_CAP_REVISION_2): not valid UTF-8. */
    static final byte[] CAPABILITY = {1, 0, 0, 2, (byte) 0xc0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

    private final Syscalls sys = new Syscalls();
    private final LayerUnpacker unpacker = new LayerUnpacker(sys);

    @TempDir
    Path temp;

    Path target;

    @BeforeEach
    void requireRootAndMakeTarget() throws IOException {
        Privileges.requireRoot();
        target = Files.createDirectory(temp.resolve("fs"));
    }

    @Test
    void unpackWritesFilesWithTheirContentModeAndOwner() throws IOException {
        unpack(LayerTar.create()
                .dir("etc", 0755)
                .file("etc/hostname", "box\n", 0640, 1000, 2000)
                .file("etc/empty", new byte[0], 0600));

        assertThat(target.resolve("etc/hostname")).hasContent("box\n");
        assertThat(Stat.of(target.resolve("etc/hostname")))
                .extracting(Stat::type, Stat::permissions, Stat::uid, Stat::gid)
                .containsExactly(Stat.REGULAR, 0640, 1000, 2000);
        assertThat(target.resolve("etc/empty")).isEmptyFile();
        assertThat(Stat.of(target.resolve("etc/empty")).permissions()).isEqualTo(0600);
    }

    @Test
    void unpackKeepsSetuidSetgidAndStickyBitsAlsoOnFilesNotOwnedByRoot() throws IOException {
        unpack(LayerTar.create()
                .file("bin/su", "su", 04755)
                .file("bin/game", "game", 06750, 1000, 60)
                .dir("tmp", 01777)
                .dir("shared", 02775, 1000, 1000, LayerTar.DEFAULT_MTIME));

        assertThat(Stat.of(target.resolve("bin/su")).permissions()).isEqualTo(04755);
        assertThat(Stat.of(target.resolve("bin/game")))
                .extracting(Stat::permissions, Stat::uid, Stat::gid)
                .containsExactly(06750, 1000, 60);
        assertThat(Stat.of(target.resolve("tmp")).permissions()).isEqualTo(01777);
        assertThat(Stat.of(target.resolve("shared")).permissions()).isEqualTo(02775);
    }

    @Test
    void unpackGivesModesTheUmaskWouldStripExactly() throws IOException {
        unpack(LayerTar.create()
                .file("shared", "rw for all", 0666)
                .dir("open", 0777)
                .fifo("pipe")
                .mode("pipe", 0622)
                .file("none", "", 0));

        assertThat(Stat.of(target.resolve("shared")).permissions()).isEqualTo(0666);
        assertThat(Stat.of(target.resolve("open")).permissions()).isEqualTo(0777);
        assertThat(Stat.of(target.resolve("pipe")).permissions()).isEqualTo(0622);
        assertThat(Stat.of(target.resolve("none")).permissions()).isEqualTo(0);
    }

    @Test
    void unpackGivesEntriesInASetgidDirectoryTheirOwnGroupAndMode() throws IOException {
        unpack(LayerTar.create()
                .dir("srv", 02775, 0, 50, LayerTar.DEFAULT_MTIME)
                .file("srv/root-owned", "r", 0644)
                .dir("srv/sub", 0755)
                .symlink("srv/link", "root-owned"));

        assertThat(Stat.of(target.resolve("srv/root-owned")))
                .extracting(Stat::uid, Stat::gid)
                .containsExactly(0, 0);
        assertThat(Stat.of(target.resolve("srv/sub")))
                .extracting(Stat::gid, Stat::permissions)
                .containsExactly(0, 0755);
        assertThat(Stat.of(target.resolve("srv/link")).gid()).isEqualTo(0);
    }

    @Test
    void unpackSetsNanosecondMtimesOnFilesSymlinksAndDirectoriesAfterTheirChildren() throws IOException {
        Instant dirTime = Instant.ofEpochSecond(1_500_000_000L, 111_111_111);
        Instant fileTime = Instant.ofEpochSecond(1_600_000_000L, 222_222_222);
        Instant linkTime = Instant.ofEpochSecond(1_400_000_000L, 333_333_333);
        unpack(LayerTar.create()
                .dir("d", 0755, 0, 0, dirTime)
                .file("d/f", "f", 0644)
                .mtime("d/f", fileTime)
                .symlink("d/l", "f")
                .mtime("d/l", linkTime)
                .dir("d/sub", 0755)
                .file("d/sub/g", "g", 0644)
                .dir("whole", 0755));

        assertThat(Stat.of(target.resolve("d")).mtime()).isEqualTo(dirTime);
        assertThat(Stat.of(target.resolve("d/f")).mtime()).isEqualTo(fileTime);
        assertThat(Stat.of(target.resolve("d/l")).mtime()).isEqualTo(linkTime);
        assertThat(Stat.of(target.resolve("d/sub")).mtime()).isEqualTo(LayerTar.DEFAULT_MTIME);
        assertThat(Stat.of(target.resolve("whole")).mtime()).isEqualTo(LayerTar.DEFAULT_MTIME);
    }

    @Test
    void unpackStoresSymlinkTargetsVerbatimAndOwnsTheLinkItself() throws IOException {
        unpack(LayerTar.create()
                .symlink("abs", "/usr/bin/../lib//x/")
                .symlink("rel", "../up")
                .owner("rel", 1000, 1001)
                .symlink("dangling", "nowhere"));

        assertThat(Files.readSymbolicLink(target.resolve("abs")).toString()).isEqualTo("/usr/bin/../lib//x/");
        assertThat(Files.readSymbolicLink(target.resolve("rel")).toString()).isEqualTo("../up");
        assertThat(Stat.of(target.resolve("rel")))
                .extracting(Stat::type, Stat::uid, Stat::gid)
                .containsExactly(Stat.SYMLINK, 1000, 1001);
        assertThat(Files.readSymbolicLink(target.resolve("dangling")).toString())
                .isEqualTo("nowhere");
    }

    @Test
    void unpackMakesHardlinksToTheSameInode() throws IOException {
        unpack(LayerTar.create()
                .file("usr/bin/python3.12", "#!", 0755)
                .hardlink("usr/bin/python3", "usr/bin/python3.12")
                .hardlink("python", "./usr/bin/python3.12"));

        Stat original = Stat.of(target.resolve("usr/bin/python3.12"));
        assertThat(Stat.of(target.resolve("usr/bin/python3")).inode()).isEqualTo(original.inode());
        assertThat(Stat.of(target.resolve("python")).inode()).isEqualTo(original.inode());
        assertThat(original.links()).isEqualTo(3);
        assertThat(original.permissions()).isEqualTo(0755);
    }

    @Test
    void unpackCreatesCharacterAndBlockDevicesAndFifos() throws IOException {
        unpack(LayerTar.create()
                .charDevice("dev/null", 1, 3)
                .blockDevice("dev/nvme0n1p5", 259, 70_000)
                .fifo("run/initctl")
                .mode("run/initctl", 0600));

        assertThat(Stat.of(target.resolve("dev/null")))
                .extracting(Stat::type, Stat::device, Stat::permissions)
                .containsExactly(Stat.CHAR_DEVICE, new DeviceNumber(1, 3), LayerTar.DEVICE_MODE);
        assertThat(Stat.of(target.resolve("dev/nvme0n1p5")))
                .extracting(Stat::type, Stat::device)
                .containsExactly(Stat.BLOCK_DEVICE, new DeviceNumber(259, 70_000));
        assertThat(Stat.of(target.resolve("run/initctl")))
                .extracting(Stat::type, Stat::permissions)
                .containsExactly(Stat.FIFO, 0600);
    }

    @Test
    void unpackSetsXattrsByteForByteIncludingSecurityCapability() throws IOException {
        unpack(LayerTar.create()
                .file("usr/bin/ping", "elf", 0755)
                .xattr("usr/bin/ping", "security.capability", CAPABILITY)
                .xattr("usr/bin/ping", "user.comment", "pings")
                .symlink("link", "usr/bin/ping")
                .xattr("link", "trusted.mark", "on the link"));

        Path ping = target.resolve("usr/bin/ping");
        assertThat(sys.lgetxattr(ping, "security.capability")).hasValue(CAPABILITY);
        assertThat(sys.lgetxattr(ping, "user.comment")).hasValue("pings".getBytes());
        assertThat(sys.lgetxattr(target.resolve("link"), "trusted.mark")).hasValue("on the link".getBytes());
    }

    @Test
    void unpackSkipsXattrsTheFileSystemDoesNotSupportAndOverlayAttributesFromTheTar() throws IOException {
        unpack(LayerTar.create()
                .dir("d", 0755)
                .xattr("d", "madeup.namespace", "x")
                .xattr("d", "trusted.overlay.redirect", "/elsewhere")
                .xattr("d", "user.kept", "yes"));

        Path d = target.resolve("d");
        assertThat(sys.lgetxattr(d, "trusted.overlay.redirect")).isEmpty();
        assertThat(sys.lgetxattr(d, "user.kept")).hasValue("yes".getBytes());
    }

    @Test
    void unpackReplacesAFileByADirectoryAndADirectoryByAFile() throws IOException {
        unpack(LayerTar.create()
                .file("x", "file first", 0644)
                .dir("x", 0700)
                .file("x/inside", "child", 0644)
                .dir("d", 0755)
                .file("d/child", "gone", 0644)
                .dir("d/sub", 0755)
                .file("d", "file now", 0600)
                .symlink("s", "/")
                .dir("s", 0755)
                .file("s/real", "under a real directory", 0644));

        assertThat(target.resolve("x")).isDirectory();
        assertThat(target.resolve("x/inside")).hasContent("child");
        assertThat(Stat.of(target.resolve("x")).permissions()).isEqualTo(0700);
        assertThat(target.resolve("d")).isRegularFile().hasContent("file now");
        assertThat(Stat.of(target.resolve("s")).type()).isEqualTo(Stat.DIRECTORY);
        assertThat(target.resolve("s/real")).hasContent("under a real directory");
    }

    @Test
    void unpackMergesADirectoryIntoAnExistingDirectoryAndTakesItsMetadata() throws IOException {
        unpack(LayerTar.create()
                .dir("d", 0755)
                .file("d/kept", "kept", 0644)
                .dir("d", 0700, 5, 6, Instant.ofEpochSecond(1_000_000_000L)));

        assertThat(target.resolve("d/kept")).hasContent("kept");
        assertThat(Stat.of(target.resolve("d")))
                .extracting(Stat::permissions, Stat::uid, Stat::gid, Stat::mtime)
                .containsExactly(0700, 5, 6, Instant.ofEpochSecond(1_000_000_000L));
    }

    @Test
    void unpackReplacesAnEntryOfTheSameNameOfAnyKind() throws IOException {
        unpack(LayerTar.create()
                .file("f", "old", 0644)
                .file("f", "new", 0644)
                .symlink("l", "one")
                .symlink("l", "two")
                .fifo("p")
                .charDevice("p", 1, 5)
                .file("h", "h", 0644)
                .hardlink("k", "h")
                .hardlink("k", "h"));

        assertThat(target.resolve("f")).hasContent("new");
        assertThat(Files.readSymbolicLink(target.resolve("l")).toString()).isEqualTo("two");
        assertThat(Stat.of(target.resolve("p")).device()).isEqualTo(new DeviceNumber(1, 5));
        assertThat(Stat.of(target.resolve("h")).links()).isEqualTo(2);
    }

    @Test
    void unpackNormalisesNamesAndSkipsTheRootEntry() throws IOException {
        int rootMode = Stat.of(target).permissions();
        unpack(LayerTar.create()
                .raw(LayerTar.entry("./", TarConstants.LF_DIR), new byte[0])
                .raw(LayerTar.entry("./a/b/", TarConstants.LF_DIR), new byte[0])
                .raw(LayerTar.entry("./a//c", TarConstants.LF_NORMAL), "c".getBytes()));

        assertThat(target.resolve("a/b")).isDirectory();
        assertThat(target.resolve("a/c")).hasContent("c");
        assertThat(Stat.of(target).permissions()).isEqualTo(rootMode);
    }

    @Test
    void unpackCreatesMissingParentsAsRootOwned0755Directories() throws IOException {
        unpack(LayerTar.create().file("deep/er/f", "f", 0644, 1000, 1000));

        assertThat(Stat.of(target.resolve("deep")))
                .extracting(Stat::type, Stat::permissions, Stat::uid, Stat::gid)
                .containsExactly(Stat.DIRECTORY, 0755, 0, 0);
        assertThat(Stat.of(target.resolve("deep/er")).permissions()).isEqualTo(0755);
    }

    @Test
    void unpackCountsEntriesAndContentBytes() throws IOException {
        UnpackStats stats = unpack(LayerTar.create()
                .dir("d", 0755)
                .file("d/a", new byte[1000], 0644)
                .file("d/b", new byte[24], 0644)
                .symlink("d/l", "a")
                .hardlink("d/h", "d/a"));

        assertThat(stats).isEqualTo(new UnpackStats(5, 1024));
    }

    @Test
    void unpackTakesLongAndNonAsciiNamesFromPaxHeaders() throws IOException {
        String longName = "a/" + "x".repeat(200) + "/" + "y".repeat(200);
        unpack(LayerTar.create().file(longName, "long", 0644).symlink("b/" + "z".repeat(150), "t".repeat(180)));

        assertThat(target.resolve(longName)).hasContent("long");
        assertThat(Files.readSymbolicLink(target.resolve("b/" + "z".repeat(150)))
                        .toString())
                .isEqualTo("t".repeat(180));
    }

    @Test
    void unpackReadsTheWholeStreamSoTheCallersDigestCoversEveryByte() throws Exception {
        byte[] tar = LayerTar.create().file("a", "a", 0644).build();
        byte[] withTrailer = java.util.Arrays.copyOf(tar, tar.length + 100_000);
        java.security.DigestInputStream in = new java.security.DigestInputStream(
                new ByteArrayInputStream(withTrailer), java.security.MessageDigest.getInstance("SHA-256"));

        unpacker.unpack(in, target);

        assertThat(in.read()).isEqualTo(-1);
        assertThat(in.getMessageDigest().digest())
                .isEqualTo(java.security.MessageDigest.getInstance("SHA-256").digest(withTrailer));
    }

    @Test
    void unpackFailsWithTheStreamsOwnError() {
        byte[] tar = LayerTar.create()
                .file("a", new byte[300_000], 0644)
                .file("b", "b", 0644)
                .build();
        InputStream broken =
                new java.io.SequenceInputStream(new ByteArrayInputStream(tar, 0, 200_000), new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new IOException("unexpected end of gzip stream");
                    }
                });

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> unpacker.unpack(broken, target))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("unexpected end of gzip stream");
    }

    private UnpackStats unpack(LayerTar tar) throws IOException {
        return unpacker.unpack(new ByteArrayInputStream(tar.build()), target);
    }

    static boolean exists(Path path) {
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
    }
}
