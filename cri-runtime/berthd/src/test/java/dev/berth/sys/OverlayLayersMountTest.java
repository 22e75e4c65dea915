package dev.berth.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.testkit.Privileges;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overlays of many layers through every way {@link MountCalls} has: one mount(2) when the options fit,
 * the mount API's {@code lowerdir+} when they do not, short layer links where the kernel lacks it.
 */
class OverlayLayersMountTest {

    private static final int LAYERS = 128;

    @TempDir
    Path temp;

    private final List<Path> mounted = new ArrayList<>();

    @BeforeEach
    void requireRoot() {
        Privileges.requireRoot();
    }

    @AfterEach
    void unmount() throws IOException {
        for (Path target : mounted) {
            new MountCalls().unmount(target);
        }
    }

    @Test
    void manyLayersMountThroughTheMountApiAndLookLikeAnyOverlay() throws IOException {
        OverlayDirs dirs = layers(LAYERS);
        assertThat(dirs.options(dirs.lowers().stream().map(Path::toString).toList()))
                .hasSizeGreaterThan(MountCalls.MAX_MOUNT_DATA);

        Path target = mount(new MountCalls(), dirs);

        assertThat(layerFiles(target)).hasSize(LAYERS - 1);
        assertThat(target.resolve("early")).doesNotExist();
        String[] mount = mountInfo(target).orElseThrow();
        assertThat(mount[0]).isEqualTo("overlay");
        assertThat(mount[1]).isEqualTo("overlay");
        assertThat(mount[2]).contains("lowerdir+=" + dirs.lowers().getFirst(), "upperdir=" + dirs.upper());
        assertThat(dirs.linkDir()).doesNotExist();
    }

    @Test
    void aWritableLayerIsMountedVolatileSoItsUnmountSyncsNoFileSystem() throws IOException {
        OverlayDirs few = layers(3);
        Path target = mount(new MountCalls(), few);

        assertThat(mountInfo(target).orElseThrow()[2]).contains("volatile");
    }

    @Test
    void manyLayersThroughTheMountApiAreVolatileToo() throws IOException {
        Path target = mount(new MountCalls(), layers(LAYERS));

        assertThat(mountInfo(target).orElseThrow()[2]).contains("volatile");
    }

    @Test
    void withoutTheMountApiManyLayersMountThroughShortLinks() throws IOException {
        OverlayDirs dirs = layers(LAYERS);
        Path cwd = Files.readSymbolicLink(Path.of("/proc/thread-self/cwd"));

        Path target = mount(MountCalls.withoutMountApi(), dirs);

        assertThat(layerFiles(target)).hasSize(LAYERS - 1);
        assertThat(target.resolve("early")).doesNotExist();
        assertThat(Files.readSymbolicLink(Path.of("/proc/thread-self/cwd")))
                .as("the chdir stays on the mounting thread")
                .isEqualTo(cwd);
        assertThat(Files.readSymbolicLink(dirs.linkDir().resolve("0")))
                .isEqualTo(dirs.lowers().getFirst());
        String[] mount = mountInfo(target).orElseThrow();
        assertThat(mount[0]).isEqualTo("overlay");
        assertThat(mount[1]).isEqualTo("overlay");
        assertThat(mount[2]).contains("lowerdir=0:1:2:");
    }

    @Test
    void linksOfAnEarlierMountAreReplaced() throws IOException {
        OverlayDirs dirs = layers(LAYERS);
        Files.createDirectories(dirs.linkDir());
        Files.createSymbolicLink(dirs.linkDir().resolve("0"), temp);
        Files.createSymbolicLink(dirs.linkDir().resolve("999"), temp);

        Path target = mount(MountCalls.withoutMountApi(), dirs);

        assertThat(layerFiles(target)).hasSize(LAYERS - 1);
        assertThat(dirs.linkDir().resolve("999")).doesNotExist();
    }

    @Test
    void aFewLayersAreOneClassicMountAsAlways() throws IOException {
        OverlayDirs dirs = layers(3);

        Path target = mount(new MountCalls(), dirs);

        assertThat(layerFiles(target)).hasSize(2);
        String[] mount = mountInfo(target).orElseThrow();
        assertThat(mount[2])
                .contains(
                        "lowerdir=" + dirs.lowers().get(0) + ":" + dirs.lowers().get(1))
                .doesNotContain("lowerdir+");
    }

    @Test
    void aMissingLayerFailsWithTheKernelsReasonAndMountsNothing() throws IOException {
        OverlayDirs good = layers(LAYERS);
        List<Path> lowers = new ArrayList<>(good.lowers());
        lowers.set(LAYERS / 2, temp.resolve("gone"));
        OverlayDirs dirs = new OverlayDirs(lowers, good.upper(), good.work(), good.linkDir());
        Path target = Files.createDirectories(temp.resolve("rootfs"));

        assertThatThrownBy(() -> new MountCalls().mountOverlay(target, dirs))
                .isInstanceOf(SyscallException.class)
                .hasMessageContaining("lowerdir+");
        assertThat(mountInfo(target)).isEmpty();
    }

    /**
     * Layer i (bottom first) adds {@code /layer-i}; the bottom one also has {@code /early}, which the top
     * layer whites out; lowers are returned top first, at snapshot-like path lengths.
     */
    private OverlayDirs layers(int count) throws IOException {
        Syscalls sys = new Syscalls();
        List<Path> lowers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path fs = Files.createDirectories(temp.resolve("snapshots/sha256")
                    .resolve("%064x".formatted(i))
                    .resolve("fs"));
            if (i == 0) {
                Files.writeString(fs.resolve("early"), "early");
            } else {
                Files.writeString(fs.resolve("layer-" + i), "layer " + i);
            }
            if (i == count - 1) {
                sys.mknod(fs.resolve("early"), Syscalls.S_IFCHR, DeviceNumber.NONE);
            }
            lowers.addFirst(fs);
        }
        Path writable = temp.resolve("writable");
        return new OverlayDirs(
                lowers,
                Files.createDirectories(writable.resolve("upper")),
                Files.createDirectories(writable.resolve("work")),
                writable.resolve("l"));
    }

    private Path mount(MountCalls mounts, OverlayDirs dirs) throws IOException {
        Path target = Files.createDirectories(temp.resolve("rootfs"));
        mounts.mountOverlay(target, dirs);
        mounted.add(target);
        return target;
    }

    private static List<String> layerFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.list(root)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("layer-"))
                    .toList();
        }
    }

    /** Source, file-system type and super options of the mount at {@code target}, as findmnt reads them. */
    private static Optional<String[]> mountInfo(Path target) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] fields = line.split(" ");
            if (fields[4].equals(target.toString())) {
                String[] tail = line.substring(line.indexOf(" - ") + 3).split(" ");
                return Optional.of(new String[] {tail[1], tail[0], tail[2]});
            }
        }
        return Optional.empty();
    }
}
