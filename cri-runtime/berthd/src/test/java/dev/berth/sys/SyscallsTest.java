package dev.berth.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.testkit.Privileges;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyscallsTest {

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final Syscalls sys = new Syscalls();

    @TempDir
    Path dir;

    @Test
    void mknodCreatesDevicesAndFifosWithTheirNumbers() throws Exception {
        Privileges.requireRoot();
        Path device = dir.resolve("dev");
        Path fifo = dir.resolve("fifo");

        sys.mknod(device, Syscalls.S_IFCHR | 0600, new DeviceNumber(259, 70000));
        sys.mknod(fifo, Syscalls.S_IFIFO | 0644, DeviceNumber.NONE);

        assertThat((int) Files.getAttribute(device, "unix:mode", NOFOLLOW) & 0170000)
                .isEqualTo(Syscalls.S_IFCHR);
        assertThat(DeviceNumber.decode((long) Files.getAttribute(device, "unix:rdev", NOFOLLOW)))
                .isEqualTo(new DeviceNumber(259, 70000));
        assertThat((int) Files.getAttribute(fifo, "unix:mode", NOFOLLOW) & 0170000)
                .isEqualTo(Syscalls.S_IFIFO);
    }

    @Test
    void xattrsRoundTripByteForByteAndAMissingOneIsEmpty() throws Exception {
        Path file = Files.createFile(dir.resolve("f"));
        byte[] binary = {0, (byte) 0xc0, (byte) 0xff, 0x7f, 1};

        sys.lsetxattr(file, "user.binary", binary);

        assertThat(sys.lgetxattr(file, "user.binary")).hasValue(binary);
        assertThat(sys.lgetxattr(file, "user.absent")).isEmpty();
    }

    @Test
    void llistxattrNamesTheAttributesOfTheFileItself() throws Exception {
        Path file = Files.writeString(dir.resolve("listed"), "x");
        Path link = dir.resolve("listed-link");
        Files.createSymbolicLink(link, file);
        sys.lsetxattr(file, "user.one", new byte[] {1});
        sys.lsetxattr(file, "user.two", new byte[0]);

        assertThat(sys.llistxattr(file)).contains("user.one", "user.two");
        assertThat(sys.llistxattr(link)).doesNotContain("user.one", "user.two");
    }

    @Test
    void lchownChangesTheSymlinkAndNotItsTarget() throws Exception {
        Privileges.requireRoot();
        Path target = Files.createFile(dir.resolve("target"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);

        sys.lchown(link, 1234, 5678);

        assertThat(Files.getAttribute(link, "unix:uid", NOFOLLOW)).isEqualTo(1234);
        assertThat(Files.getAttribute(link, "unix:gid", NOFOLLOW)).isEqualTo(5678);
        assertThat(Files.getAttribute(target, "unix:uid", NOFOLLOW)).isEqualTo(0);
    }

    @Test
    void setTimesNoFollowSetsASymlinksOwnTimesInNanoseconds() throws Exception {
        Path target = Files.createFile(dir.resolve("target"));
        Instant targetTime = Files.getLastModifiedTime(target).toInstant();
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);

        sys.setTimesNoFollow(link, 1_600_000_000L, 5, 1_700_000_000L, 123_456_789L);

        assertThat(Files.getLastModifiedTime(link, NOFOLLOW).toInstant())
                .isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 123_456_789L));
        assertThat(Files.getLastModifiedTime(target).toInstant()).isEqualTo(targetTime);
    }

    @Test
    void chmodSetsSetuidSetgidAndStickyBits() throws Exception {
        Path file = Files.createFile(dir.resolve("f"));

        sys.chmod(file, 07755);

        assertThat((int) Files.getAttribute(file, "unix:mode", NOFOLLOW) & 07777)
                .isEqualTo(07755);
    }

    @Test
    void symlinkStoresTheTargetByteForByte() throws Exception {
        Path link = dir.resolve("link");

        sys.symlink("..//odd/./target/", link);

        assertThat(Files.readSymbolicLink(link).toString()).isEqualTo("..//odd/./target/");
    }

    @Test
    void failuresNameTheCallThePathAndTheKernelsReason() {
        Path missing = dir.resolve("missing");

        assertThatThrownBy(() -> sys.lsetxattr(missing, "user.x", "y".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(SyscallException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.ENOENT);
                    assertThat(e.path()).isEqualTo(missing);
                })
                .hasMessageMatching("lsetxattr user\\.x " + java.util.regex.Pattern.quote(missing.toString())
                        + ": \\S.* \\(errno 2\\)");
    }

    @Test
    void geteuidAgreesWithTheJvmsUser() {
        assertThat(sys.isRoot()).isEqualTo("root".equals(System.getProperty("user.name")));
    }
}
