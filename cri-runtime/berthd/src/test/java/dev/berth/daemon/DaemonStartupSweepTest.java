package dev.berth.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.DaemonFixture;
import dev.berth.testkit.Privileges;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a berthd killed mid-command leaves in its trees is gone once the next one serves, and its trees are closed. */
class DaemonStartupSweepTest {

    @Test
    void startUpSweepsTemporariesOfAnInterruptedRunAndClosesTheTrees() throws Exception {
        Privileges.requireRoot();
        Path base = Files.createTempDirectory("berthd-sweep-");
        Path root = base.resolve("root");
        Path state = base.resolve("state");
        List<Path> stale = List.of(
                state.resolve("tmp/out-123.log"),
                state.resolve("tmp/err-123.log"),
                state.resolve("tmp/exec-456.pid"),
                state.resolve("exec/exec-789/pid"),
                state.resolve("exec/exec-789/runtime.log"),
                root.resolve("content/ingest/0123abcd-5f0e"),
                root.resolve("snapshots/.tmp-0123abcd-5f0e/fs/bin/sh"),
                root.resolve("containers/.c1.json.tmp-5f0e"),
                root.resolve("sandboxes/.p1.json.tmp-5f0e"),
                root.resolve("images/.i1.json.tmp-5f0e"),
                root.resolve("content/blobs/sha256/.0123abcd.tmp-5f0e"),
                state.resolve("containers/c1/.config.json.tmp-5f0e"),
                state.resolve("cni/.pod-cidr.tmp-5f0e"),
                state.resolve("cni/results/.p1-eth0.json.tmp-5f0e"));
        for (Path file : stale) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, "left by a killed berthd\n");
        }
        // conmon's link to the attach socket of a container whose record is gone (releases before this one left them)
        Path socketLink = state.resolve("sockets/0123abcd");
        Files.createDirectories(socketLink.getParent());
        Files.createSymbolicLink(socketLink, state.resolve("containers/0123abcd"));
        for (Path dir : List.of(root, state, root.resolve("content"), state.resolve("tmp"))) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }

        try (DaemonFixture daemon = DaemonFixture.startIn(base, Map.of())) {
            assertThat(daemon.runtime()
                            .version(dev.berth.cri.v1.VersionRequest.getDefaultInstance())
                            .getRuntimeName())
                    .isNotEmpty();
            for (Path file : stale) {
                assertThat(file).as("left over").doesNotExist();
            }
            assertThat(Files.exists(socketLink, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .as("attach-socket link of a container without a record")
                    .isFalse();
            assertThat(mode(root)).isEqualTo("rwx------");
            assertThat(mode(state)).isEqualTo("rwx--x--x");
            assertThat(mode(root.resolve("content"))).isEqualTo("rwx------");
        }
    }

    private static String mode(Path path) throws java.io.IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
