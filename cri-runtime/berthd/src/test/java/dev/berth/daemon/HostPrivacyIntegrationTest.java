package dev.berth.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cri.v1.KeyValue;
import dev.berth.cri.v1.LinuxContainerConfig;
import dev.berth.cri.v1.LinuxContainerSecurityContext;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.testing.DaemonFixture;
import dev.berth.testing.PodClient;
import dev.berth.testing.PodTestBedExtension;
import dev.berth.testkit.layer.BusyboxImage;
import dev.berth.testkit.layer.LayerTar;
import dev.berth.testkit.registry.TestImage;
import dev.berth.testkit.registry.TestLayer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Another user of the host (here {@code nobody}) gets nothing of a running container out of berthd's trees: not
 * its env in config.json, not its record, not a file of its image or of its writable layer, and cannot run a
 * setuid-root file of a pulled image straight out of the snapshot (containerd's CVE-2021-41103). The container
 * itself, running as a non-root user, still reads its image and writes its layer.
 */
class HostPrivacyIntegrationTest {

    private static final int NOBODY = 65534;
    private static final String SETUID_COPY = "bin/suid-busybox";

    @RegisterExtension
    static final PodTestBedExtension bed = new PodTestBedExtension("berthprivacy");

    private final DaemonFixture daemon = bed.daemon();
    private final PodClient pods = bed.pods();

    @Test
    void nobodyElseReadsOrRunsAnythingOfARunningContainer() throws Exception {
        String image = bed.pushAndPull("privacy/setuid", setuidImage());
        // as on a node, where /var/lib and /run are open to all: only berthd's own modes stand in the way
        Files.setPosixFilePermissions(daemon.base(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path control = Files.writeString(daemon.base().resolve("readable"), "open\n");
        Files.setPosixFilePermissions(control, PosixFilePermissions.fromString("rw-r--r--"));

        PodSandboxConfig pod = pods.pod("private").build();
        String id = pods.createAndStart(
                pods.run(pod),
                pod,
                pods.container("app", image, "sh", "-c", "echo notes > /home/app/notes; exec sleep 3600")
                        .addEnvs(KeyValue.newBuilder().setKey("API_TOKEN").setValue("s3cret"))
                        .setLinux(LinuxContainerConfig.newBuilder()
                                .setSecurityContext(LinuxContainerSecurityContext.newBuilder()
                                        .setRunAsUser(dev.berth.cri.v1.Int64Value.newBuilder()
                                                .setValue(BusyboxImage.APP_UID))))
                        .build());

        // the container, as uid 1000, reads its lower layers and the pod's files and writes its upper layer
        assertThat(pods.execSync(id, "id", "-u").strip()).isEqualTo("1000");
        assertThat(pods.execSync(id, "sh", "-c", "cat /etc/passwd /etc/hosts >/dev/null && cat /home/app/notes"))
                .isEqualTo("notes\n");
        assertThat(pods.execSync(id, "sh", "-c", "ls / >/dev/null && echo ok")).isEqualTo("ok\n");

        Path root = daemon.root();
        Path state = daemon.config().stateDir();
        Path configJson = state.resolve("containers").resolve(id).resolve("config.json");
        assertThat(Files.readString(configJson)).contains("s3cret");
        Path notes = root.resolve("containers-rw").resolve(id).resolve("upper/home/app/notes");
        Path snapshotFile = snapshotHolding(root, SETUID_COPY);
        assertThat((int) Files.getAttribute(snapshotFile, "unix:mode") & 07777).isEqualTo(04755);
        List<Path> secrets = List.of(
                configJson,
                root.resolve("containers").resolve(id + ".json"),
                notes,
                snapshotHolding(root, "etc/passwd"),
                blobOf(root));
        for (Path secret : secrets) {
            assertThat(secret).as("%s exists", secret).exists();
        }

        assertThat(asNobody("cat", control.toString()).output()).isEqualTo("open\n");
        assertThat(asNobody(BusyboxImage.BUSYBOX.toString(), "id", "-u").output())
                .isEqualTo(NOBODY + "\n");
        for (Path secret : secrets) {
            Result read = asNobody("cat", secret.toString());
            assertThat(read.exitCode())
                    .as("nobody reading %s: %s", secret, read.output())
                    .isNotZero();
            assertThat(read.output()).contains("Permission denied");
        }
        for (Path dir : List.of(root, state)) {
            assertThat(asNobody("ls", dir.toString()).output()).contains("Permission denied");
        }
        Result setuid = asNobody(snapshotFile.toString(), "id", "-u");
        assertThat(setuid.exitCode()).as(setuid.output()).isNotZero();
        assertThat(setuid.output()).contains("Permission denied").doesNotContain("0\n");

        assertThat(mode(root)).isEqualTo("rwx------");
        assertThat(mode(state)).isEqualTo("rwx--x--x");
        assertThat(mode(configJson)).isEqualTo("rw-------");
        assertThat(mode(root.resolve("containers").resolve(id + ".json"))).isEqualTo("rw-------");
        assertThat(mode(state.resolve("berthd.lock"))).isEqualTo("rw-------");
        for (Path dir : List.of(
                root.resolve("snapshots"),
                snapshotFile.getParent().getParent().getParent(),
                root.resolve("content"),
                root.resolve("images"),
                root.resolve("sandboxes"),
                root.resolve("containers"),
                root.resolve("containers-rw").resolve(id),
                state.resolve("containers").resolve(id),
                state.resolve("exits"),
                state.resolve("sockets"),
                state.resolve("sandboxes"),
                state.resolve("ns"),
                state.resolve("tmp"))) {
            assertThat(mode(dir)).as(dir.toString()).isEqualTo("rwx------");
        }
        // the container's "/": the mode of its upper dir and of the image's root stay the image's
        assertThat(mode(root.resolve("containers-rw").resolve(id).resolve("upper")))
                .isEqualTo("rwxr-xr-x");
    }

    /** busybox plus a setuid-root copy of it, in a layer of its own. */
    private static TestImage setuidImage() throws IOException {
        byte[] busybox = Files.readAllBytes(BusyboxImage.BUSYBOX);
        return TestImage.builder()
                .layer(BusyboxImage.fromHost().layerTar(), TestLayer.Compression.GZIP)
                .layer(
                        LayerTar.create()
                                .dir("bin", 0755)
                                .file(SETUID_COPY, busybox, 04755)
                                .build(),
                        TestLayer.Compression.GZIP)
                .build();
    }

    private static Path snapshotHolding(Path root, String file) throws IOException {
        try (Stream<Path> snapshots = Files.list(root.resolve("snapshots"))) {
            Path found = snapshots
                    .map(s -> s.resolve("fs").resolve(file))
                    .filter(Files::exists)
                    .findFirst()
                    .orElseThrow();
            return found;
        }
    }

    private static Path blobOf(Path root) throws IOException {
        try (Stream<Path> blobs = Files.list(root.resolve("content/blobs/sha256"))) {
            return blobs.findFirst().orElseThrow();
        }
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private record Result(int exitCode, String output) {}

    /**
     * Through runuser, which execs as nobody with no capability left; setpriv's own exec still holds root's and
     * would pass where nobody cannot.
     */
    private static Result asNobody(String... command) throws Exception {
        List<String> argv = new ArrayList<>(List.of("runuser", "-u", "nobody", "--"));
        argv.addAll(List.of(command));
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
