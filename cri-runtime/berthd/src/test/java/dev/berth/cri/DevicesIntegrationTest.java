package dev.berth.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.berth.cri.v1.ContainerConfig;
import dev.berth.cri.v1.Device;
import dev.berth.cri.v1.LinuxContainerConfig;
import dev.berth.cri.v1.LinuxContainerSecurityContext;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.sys.DeviceNumber;
import dev.berth.sys.Syscalls;
import dev.berth.testing.PodClient;
import dev.berth.testing.PodTestBedExtension;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * ContainerConfig.devices as device plugins use them, through a real berthd, runc and the devices cgroup: the
 * node appears with the host's numbers, and the cgroup lets through exactly the requested access.
 */
class DevicesIntegrationTest {

    @RegisterExtension
    static final PodTestBedExtension bed = new PodTestBedExtension("berthdevices");

    private final PodClient pods = bed.pods();
    private final String busybox = bed.busybox();

    @TempDir
    Path host;

    private static Device device(String hostPath, String containerPath, String permissions) {
        return Device.newBuilder()
                .setHostPath(hostPath)
                .setContainerPath(containerPath)
                .setPermissions(permissions)
                .build();
    }

    private String sleeper(String name, boolean privileged, Device... devices) {
        PodSandboxConfig pod = pods.pod(name).build();
        ContainerConfig.Builder config = pods.container(name, busybox, "sleep", "3600");
        for (Device d : devices) {
            config.addDevices(d);
        }
        config.setLinux(LinuxContainerConfig.newBuilder()
                .setSecurityContext(LinuxContainerSecurityContext.newBuilder().setPrivileged(privileged)));
        return pods.createAndStart(pods.run(pod), pod, config.build());
    }

    /** The shell's answer, stderr included, so a refused open shows its errno text. */
    private String sh(String containerId, String script) {
        return pods.execSync(containerId, "sh", "-c", "exec 2>&1; " + script).strip();
    }

    @Test
    void aDeviceAppearsWithTheHostNumbersAndCanBeWrittenWithRw() throws Exception {
        Path dir = host.resolve("plugin");
        Files.createDirectories(dir);
        Path alias = dir.resolve("null");
        new Syscalls().mknod(alias, Syscalls.S_IFCHR | 0600, new DeviceNumber(1, 3));
        Files.setPosixFilePermissions(alias, PosixFilePermissions.fromString("rw-rw-rw-"));

        String id = sleeper(
                "devrw", false, device("/dev/null", "/dev/mynull", "rw"), device(dir.toString(), "/dev/plugin", ""));

        assertThat(sh(id, "stat -c '%F %t:%T %a' /dev/mynull")).isEqualTo("character special file 1:3 666");
        assertThat(sh(id, "echo x > /dev/mynull && echo written")).isEqualTo("written");
        assertThat(sh(id, "echo x > /dev/plugin/null && echo written")).isEqualTo("written");
    }

    @Test
    void readOnlyAccessLetsTheDeviceBeOpenedForReadingButNotForWriting() throws Exception {
        // /dev/null would not do: runc always allows its standard nodes rwm; FUSE is what device plugins hand out
        assumeThat(Path.of("/dev/fuse")).exists();
        String readOnly = sleeper("devro", false, device("/dev/fuse", "/dev/fuse", "r"));
        String readWrite = sleeper("devrw2", false, device("/dev/fuse", "/dev/fuse", "rw"));

        assertThat(sh(readOnly, "exec 3</dev/fuse && echo opened")).isEqualTo("opened");
        assertThat(sh(readOnly, "exec 3>/dev/fuse && echo opened")).contains("Operation not permitted");
        assertThat(sh(readWrite, "exec 3<>/dev/fuse && echo opened")).isEqualTo("opened");
        if (Files.isDirectory(Path.of("/sys/fs/cgroup/devices"))) { // cgroup v1: the kernel lists the allow rules
            String cgroupRules = sh(readOnly, "cat /sys/fs/cgroup/devices/devices.list");
            assertThat(cgroupRules.lines()).contains("c 10:229 r").doesNotContain("a *:* rwm");
        }
    }

    @Test
    void withoutDevicesTheStandardNodesWorkAndOtherHostDevicesAreAbsent() throws Exception {
        String id = sleeper("devnone", false);

        assertThat(sh(id, "for d in null zero full random urandom tty; do test -c /dev/$d || echo no $d; done"))
                .isEmpty();
        assertThat(sh(id, "head -c 4 /dev/zero | wc -c")).isEqualTo("4");
        assertThat(sh(id, "test -e /dev/fuse || test -e /dev/kvm || echo absent"))
                .isEqualTo("absent");
    }

    @Test
    void aPrivilegedContainerSeesTheHostsDevices() throws Exception {
        String hostOnly = Files.exists(Path.of("/dev/kvm")) ? "kvm" : "loop0";
        assumeThat(Path.of("/dev", hostOnly)).exists();
        String id = sleeper("devpriv", true);

        assertThat(sh(id, "test -e /dev/" + hostOnly + " && echo present")).isEqualTo("present");
    }

    @Test
    void aMissingHostDeviceIsInvalidArgumentNamingIt() {
        PodSandboxConfig pod = pods.pod("devmissing").build();
        String podId = pods.run(pod);
        ContainerConfig config = pods.container("missing", busybox, "true")
                .addDevices(device("/dev/berth-no-such-gpu", "/dev/gpu", "rw"))
                .build();

        assertThatThrownBy(() -> pods.create(podId, pod, config))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("/dev/berth-no-such-gpu");
                });
    }

    @Test
    void permissionsOutsideRwmAreInvalidArgument() {
        PodSandboxConfig pod = pods.pod("devperm").build();
        String podId = pods.run(pod);
        ContainerConfig config = pods.container("perm", busybox, "true")
                .addDevices(device("/dev/null", "/dev/n", "rwx"))
                .build();

        assertThatThrownBy(() -> pods.create(podId, pod, config))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }
}
