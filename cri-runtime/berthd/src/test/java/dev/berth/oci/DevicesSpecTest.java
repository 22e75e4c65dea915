package dev.berth.oci;

import static dev.berth.oci.SpecRequests.builder;
import static dev.berth.oci.SpecRequests.container;
import static dev.berth.oci.SpecRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.cri.v1.ContainerConfig;
import dev.berth.cri.v1.Device;
import dev.berth.sys.DeviceNumber;
import dev.berth.sys.Syscalls;
import dev.berth.testkit.Privileges;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevicesSpecTest {

    @TempDir
    Path rootfs;

    @TempDir
    Path host;

    private final ObjectMapper mapper = new ObjectMapper();
    private final Syscalls sys = new Syscalls();

    private static Device device(String hostPath, String containerPath, String permissions) {
        return Device.newBuilder()
                .setHostPath(hostPath)
                .setContainerPath(containerPath)
                .setPermissions(permissions)
                .build();
    }

    private static ContainerConfig withDevices(Device... devices) {
        return container("/x").addAllDevices(List.of(devices)).build();
    }

    private DevicesSpec.Built devices(ContainerConfig config, boolean privileged) throws Exception {
        return new DevicesSpec(mapper, host).build(config, privileged);
    }

    private Path mknod(Path path, int type, int major, int minor, String mode) throws Exception {
        Files.createDirectories(path.getParent());
        sys.mknod(path, type | 0600, new DeviceNumber(major, minor));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        return path;
    }

    @Test
    void aCharDeviceBecomesANodeWithTheHostNumbersAndAnAllowRuleAfterDenyAll() throws Exception {
        JsonNode spec = mapper.readTree(builder()
                .build(request(withDevices(device("/dev/null", "/dev/mynull", "rw")), rootfs))
                .configJson());

        JsonNode node = spec.at("/linux/devices/0");
        assertThat(spec.at("/linux/devices")).hasSize(1);
        assertThat(node.get("path").asText()).isEqualTo("/dev/mynull");
        assertThat(node.get("type").asText()).isEqualTo("c");
        assertThat(node.get("major").asLong()).isEqualTo(1);
        assertThat(node.get("minor").asLong()).isEqualTo(3);
        assertThat(node.get("fileMode").asInt())
                .isEqualTo((int) Files.getAttribute(Path.of("/dev/null"), "unix:mode") & 07777);
        assertThat(node.get("uid").asInt()).isZero();
        assertThat(rules(spec.at("/linux/resources/devices"))).containsExactly("deny a rwm", "allow c 1:3 rw");
    }

    @Test
    void withoutDevicesOnlyDenyAllIsSetSoRuncKeepsItsStandardNodes() throws Exception {
        JsonNode spec =
                mapper.readTree(builder().build(request(withDevices(), rootfs)).configJson());
        assertThat(spec.at("/linux").has("devices")).isFalse();
        assertThat(rules(spec.at("/linux/resources/devices"))).containsExactly("deny a rwm");
    }

    @Test
    void emptyPermissionsAreRwmAndAnEmptyContainerPathIsTheHostPath() throws Exception {
        var built = devices(withDevices(device("/dev/zero", "", "")), false);
        assertThat(built.devices().get(0).get("path").asText()).isEqualTo("/dev/zero");
        assertThat(rules(built.cgroupRules())).containsExactly("deny a rwm", "allow c 1:5 rwm");
    }

    @Test
    void aSymlinkOnTheHostNamesTheDeviceItPointsAt() throws Exception {
        Path link = Files.createSymbolicLink(host.resolve("by-name"), Path.of("/dev/null"));
        var built = devices(withDevices(device(link.toString(), "/dev/link", "r")), false);
        JsonNode node = built.devices().get(0);
        assertThat(node.get("path").asText()).isEqualTo("/dev/link");
        assertThat(node.get("major").asLong() + ":" + node.get("minor").asLong())
                .isEqualTo("1:3");
        assertThat(rules(built.cgroupRules())).containsExactly("deny a rwm", "allow c 1:3 r");
    }

    @Test
    void aBlockDeviceKeepsItsTypeNumbersAndMode() throws Exception {
        Privileges.requireRoot();
        Path disk = mknod(host.resolve("disk"), Syscalls.S_IFBLK, 7, 42, "rw-r-----");
        var built = devices(withDevices(device(disk.toString(), "/dev/xvda", "rwm")), false);
        JsonNode node = built.devices().get(0);
        assertThat(node.get("type").asText()).isEqualTo("b");
        assertThat(node.get("fileMode").asInt()).isEqualTo(0640);
        assertThat(rules(built.cgroupRules())).containsExactly("deny a rwm", "allow b 7:42 rwm");
    }

    @Test
    void aDirectoryGivesEveryDeviceBelowItAndSkipsOtherFiles() throws Exception {
        Privileges.requireRoot();
        Path dri = host.resolve("dri");
        mknod(dri.resolve("card0"), Syscalls.S_IFCHR, 226, 0, "rw-rw----");
        mknod(dri.resolve("by-path/renderD128"), Syscalls.S_IFCHR, 226, 128, "rw-rw-rw-");
        Files.writeString(dri.resolve("README"), "not a device");
        Files.createSymbolicLink(dri.resolve("link"), Path.of("/dev/null"));
        mknod(dri.resolve("pts/0"), Syscalls.S_IFCHR, 136, 0, "rw-------");

        var built = devices(withDevices(device(dri.toString(), "/dev/dri/", "rw")), false);

        List<String> paths = new ArrayList<>();
        built.devices().forEach(d -> paths.add(d.get("path").asText()));
        assertThat(paths).containsExactly("/dev/dri/by-path/renderD128", "/dev/dri/card0");
        assertThat(rules(built.cgroupRules())).containsExactly("deny a rwm", "allow c 226:128 rw", "allow c 226:0 rw");
    }

    @Test
    void privilegedGetsTheHostsDevicesAndOneRuleAllowingAll() throws Exception {
        Privileges.requireRoot();
        mknod(host.resolve("kvm"), Syscalls.S_IFCHR, 10, 232, "rw-rw----");
        mknod(host.resolve("console"), Syscalls.S_IFCHR, 5, 1, "rw-------");
        mknod(host.resolve("shm/x"), Syscalls.S_IFCHR, 1, 3, "rw-rw-rw-");

        var built = devices(withDevices(device("/dev/null", "/dev/kvm", "r")), true);

        assertThat(built.devices()).hasSize(1); // the requested node replaces the host's at the same path
        assertThat(built.devices().get(0).get("minor").asLong()).isEqualTo(3);
        assertThat(rules(built.cgroupRules())).containsExactly("allow a rwm");
    }

    @Test
    void aMissingHostDeviceIsNamed() {
        assertThatThrownBy(() -> devices(withDevices(device("/dev/nonexistent-gpu", "/dev/gpu", "rw")), false))
                .isInstanceOf(InvalidContainerConfigException.class)
                .hasMessageContaining("/dev/nonexistent-gpu")
                .hasMessageContaining("does not exist");
    }

    @Test
    void permissionsOutsideRwmOrRepeatedAreRefused() {
        for (String permissions : List.of("rwx", "rr", "R", "read", " ")) {
            assertThatThrownBy(() -> devices(withDevices(device("/dev/null", "/dev/n", permissions)), false))
                    .as(permissions)
                    .isInstanceOf(InvalidContainerConfigException.class)
                    .hasMessageContaining("permissions");
        }
    }

    @Test
    void containerPathMustBeAbsoluteAndNotTheRoot() {
        for (String containerPath : List.of("dev/n", "/", "//", "/dev/..")) {
            assertThatThrownBy(() -> devices(withDevices(device("/dev/null", containerPath, "rw")), false))
                    .as(containerPath)
                    .isInstanceOf(InvalidContainerConfigException.class)
                    .hasMessageContaining("container_path");
        }
    }

    @Test
    void aRegularFileARelativeOrANulHostPathIsRefused() throws Exception {
        Path file = Files.writeString(host.resolve("file"), "x");
        for (String hostPath : List.of(file.toString(), "dev/null", "", "/dev/nu\0ll")) {
            assertThatThrownBy(() -> devices(withDevices(device(hostPath, "/dev/n", "rw")), false))
                    .as(hostPath)
                    .isInstanceOf(InvalidContainerConfigException.class)
                    .hasMessageContaining("host_path")
                    .hasMessageNotContaining("\0");
        }
    }

    private static List<String> rules(JsonNode rules) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : rules) {
            String device = r.has("type")
                    ? r.get("type").asText() + " " + r.get("major").asLong() + ":"
                            + r.get("minor").asLong()
                    : "a";
            out.add((r.get("allow").asBoolean() ? "allow " : "deny ") + device + " "
                    + r.get("access").asText());
        }
        return out;
    }
}
