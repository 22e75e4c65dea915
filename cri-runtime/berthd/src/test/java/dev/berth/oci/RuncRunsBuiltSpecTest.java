package dev.berth.oci;

import static dev.berth.oci.SpecRequests.container;
import static dev.berth.oci.SpecRequests.image;
import static dev.berth.oci.SpecRequests.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cri.v1.ContainerConfig;
import dev.berth.cri.v1.LinuxContainerConfig;
import dev.berth.cri.v1.LinuxContainerSecurityContext;
import dev.berth.cri.v1.SecurityProfile;
import dev.berth.process.CommandRunner;
import dev.berth.process.CommandRunner.Command;
import dev.berth.process.CommandRunner.CommandResult;
import dev.berth.testkit.Privileges;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Specs from the builder run under the real runc 1.1.5 with a busybox root filesystem. */
class RuncRunsBuiltSpecTest {

    private static final Path RUNC = Path.of("/usr/sbin/runc");
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Path bundle;
    private Path runcRoot;
    private CommandRunner runner;
    private final List<String> started = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        Privileges.requireRoot();
        Privileges.require(Files.isExecutable(RUNC) && Files.isExecutable(BUSYBOX), "needs runc and busybox-static");
        bundle = Files.createDirectories(dir.resolve("bundle"));
        runcRoot = Files.createDirectories(dir.resolve("runc"));
        runner = new CommandRunner(Files.createDirectories(dir.resolve("scratch")));
        Path rootfs = Files.createDirectories(bundle.resolve("rootfs"));
        Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(BUSYBOX, rootfs.resolve("bin/busybox"));
        for (String applet : List.of("sh", "id", "cat", "touch", "echo")) {
            Files.createSymbolicLink(rootfs.resolve("bin/" + applet), Path.of("busybox"));
        }
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\napp:x:1000:\n");
        for (String mountpoint : List.of("proc", "dev", "sys", "tmp")) {
            Files.createDirectories(rootfs.resolve(mountpoint));
        }
    }

    @AfterEach
    void deleteContainers() throws IOException {
        for (String id : started) {
            runner.run(
                    Command.of(TIMEOUT, List.of(RUNC.toString(), "--root", runcRoot.toString(), "delete", "-f", id)));
        }
    }

    private CommandResult run(ContainerConfig config, String imageUser) throws Exception {
        ContainerSpecRequest request = new ContainerSpecRequest(
                "c-" + UUID.randomUUID(),
                "s1",
                config,
                pod(),
                image(imageUser, List.of(), List.of(), List.of(), ""),
                "busybox",
                bundle.resolve("rootfs"),
                Map.of(),
                null,
                null,
                null,
                null,
                null,
                null);
        BuiltSpec spec = OciSpecBuilder.forHost(SeccompWhenUnset.RuntimeDefault).build(request);
        Files.write(bundle.resolve("config.json"), spec.configJson());
        String id = "berth-oci-it-" + UUID.randomUUID().toString().substring(0, 8);
        started.add(id);
        return runner.run(Command.of(
                TIMEOUT,
                List.of(RUNC.toString(), "--root", runcRoot.toString(), "run", "--bundle", bundle.toString(), id)));
    }

    private static ContainerConfig config(LinuxContainerSecurityContext sc, String... command) {
        return container(command)
                .setLinux(LinuxContainerConfig.newBuilder().setSecurityContext(sc))
                .build();
    }

    @Test
    void imageUserNameRunsAsItsUidAndWithoutEffectiveCapabilities() throws Exception {
        CommandResult id = run(container("/bin/id").build(), "app");
        assertThat(id.exitCode()).as(id.stderr()).isZero();
        assertThat(id.stdout()).contains("uid=1000").contains("gid=1000");

        // runc hands the spec's effective set to the process, but execve as a non-root user without file
        // capabilities recomputes permitted/effective to empty: only the bounding set survives
        CommandResult status = run(container("/bin/cat", "/proc/self/status").build(), "app");
        assertThat(status.stdout())
                .containsPattern("CapEff:\\s+0000000000000000")
                .containsPattern("CapBnd:\\s+00000000a80425fb");
    }

    @Test
    void rootGetsContainerdsDefaultCapabilitiesAndRuntimeDefaultSeccomp() throws Exception {
        CommandResult status = run(container("/bin/cat", "/proc/self/status").build(), "");
        assertThat(status.exitCode()).as(status.stderr()).isZero();
        assertThat(status.stdout())
                .containsPattern("CapEff:\\s+00000000a80425fb")
                .containsPattern("CapPrm:\\s+00000000a80425fb")
                .containsPattern("CapInh:\\s+0000000000000000")
                .containsPattern("Seccomp:\\s+2");
    }

    @Test
    void unconfinedContainerHasNoSeccompFilter() throws Exception {
        var sc = LinuxContainerSecurityContext.newBuilder()
                .setSeccomp(SecurityProfile.newBuilder().setProfileType(SecurityProfile.ProfileType.Unconfined))
                .build();
        CommandResult status = run(config(sc, "/bin/cat", "/proc/self/status"), "");
        assertThat(status.exitCode()).as(status.stderr()).isZero();
        assertThat(status.stdout()).containsPattern("Seccomp:\\s+0");
    }

    @Test
    void readonlyRootfsRefusesWrites() throws Exception {
        var sc = LinuxContainerSecurityContext.newBuilder()
                .setReadonlyRootfs(true)
                .build();
        CommandResult touch = run(config(sc, "/bin/touch", "/written"), "");
        assertThat(touch.exitCode()).isNotZero();
        assertThat(touch.stdout() + touch.stderr()).containsIgnoringCase("read-only file system");
        assertThat(bundle.resolve("rootfs/written")).doesNotExist();
    }
}
