package dev.berth.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonDirsTest {

    private static final String OPEN_DIR = "rwxr-xr-x";
    private static final String OPEN_FILE = "rw-r--r--";

    @TempDir
    Path base;

    @Test
    void tighteningClosesWhatAnOlderBerthdLeftOpenButNotTheContainersOwnModes() throws IOException {
        Path root = base.resolve("root");
        Path state = base.resolve("state");
        List<Path> dirs = List.of(
                root.resolve("content/blobs/sha256"),
                root.resolve("content/ingest"),
                root.resolve("snapshots/0abc/fs/bin"),
                root.resolve("images"),
                root.resolve("sandboxes"),
                root.resolve("containers"),
                root.resolve("containers-rw/c1/upper"),
                root.resolve("containers-rw/c1/work"),
                state.resolve("containers/c1/rootfs"),
                state.resolve("sandboxes/p1"),
                state.resolve("ns/p1"),
                state.resolve("exits"),
                state.resolve("sockets"),
                state.resolve("exec"),
                state.resolve("tmp"),
                state.resolve("cni/results"),
                state.resolve("runc/c1"));
        for (Path dir : dirs) {
            Files.createDirectories(dir);
        }
        List<Path> files = List.of(
                root.resolve("content/blobs/sha256/0def"),
                root.resolve("images/i1.json"),
                root.resolve("sandboxes/p1.json"),
                root.resolve("containers/c1.json"),
                state.resolve("containers/c1/config.json"),
                state.resolve("sandboxes/p1/hosts"),
                root.resolve("snapshots/0abc/fs/bin/sh"));
        for (Path file : files) {
            Files.writeString(file, "x");
        }
        try (var all = Files.walk(base)) {
            for (Path path : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(
                        path, PosixFilePermissions.fromString(Files.isDirectory(path) ? OPEN_DIR : OPEN_FILE));
            }
        }

        DaemonDirs daemonDirs = new DaemonDirs(root, state);
        daemonDirs.create();
        daemonDirs.tighten();

        assertThat(mode(root)).isEqualTo("rwx------");
        assertThat(mode(state)).isEqualTo("rwx--x--x");
        for (String dir : List.of(
                "root/content",
                "root/content/blobs",
                "root/content/blobs/sha256",
                "root/content/ingest",
                "root/snapshots",
                "root/snapshots/0abc",
                "root/images",
                "root/sandboxes",
                "root/containers",
                "root/containers-rw",
                "root/containers-rw/c1",
                "root/containers-rw/c1/work",
                "state/containers",
                "state/containers/c1",
                "state/sandboxes",
                "state/sandboxes/p1",
                "state/ns",
                "state/ns/p1",
                "state/exits",
                "state/sockets",
                "state/exec",
                "state/tmp",
                "state/cni",
                "state/runc")) {
            assertThat(mode(base.resolve(dir))).as(dir).isEqualTo("rwx------");
        }
        for (String file : List.of(
                "root/content/blobs/sha256/0def",
                "root/images/i1.json",
                "root/sandboxes/p1.json",
                "root/containers/c1.json",
                "state/containers/c1/config.json")) {
            assertThat(mode(base.resolve(file))).as(file).isEqualTo("rw-------");
        }
        // the container's "/" (upper, the snapshot's fs), what it reads through bind mounts, the runtime's own
        for (String kept : List.of(
                "root/containers-rw/c1/upper",
                "root/snapshots/0abc/fs",
                "root/snapshots/0abc/fs/bin",
                "state/runc/c1")) {
            assertThat(mode(base.resolve(kept))).as(kept).isEqualTo(OPEN_DIR);
        }
        assertThat(mode(base.resolve("state/sandboxes/p1/hosts"))).isEqualTo(OPEN_FILE);
        assertThat(mode(base.resolve("root/snapshots/0abc/fs/bin/sh"))).isEqualTo(OPEN_FILE);
    }

    @Test
    void tighteningNeverFollowsASymlink() throws IOException {
        Path outside = Files.createDirectories(base.resolve("outside"));
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString(OPEN_DIR));
        Path root = base.resolve("root");
        Files.createDirectories(root.resolve("snapshots"));
        Files.createSymbolicLink(root.resolve("snapshots/0abc"), outside);

        DaemonDirs daemonDirs = new DaemonDirs(root, base.resolve("state"));
        daemonDirs.create();
        daemonDirs.tighten();

        assertThat(mode(outside)).isEqualTo(OPEN_DIR);
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
