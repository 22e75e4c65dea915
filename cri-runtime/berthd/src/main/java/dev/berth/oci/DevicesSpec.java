package dev.berth.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.berth.cri.v1.ContainerConfig;
import dev.berth.cri.v1.Device;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * linux.devices and the devices cgroup rules, following containerd's CRI plugin: each requested device (a host
 * symlink resolved, a directory expanded to every device below it) becomes a node in the container and an allow
 * rule with the requested access; everything else is denied, and runc then adds its standard nodes and rules
 * (null, zero, full, random, urandom, tty, console, ptmx, pts) on cgroup v1 and v2 alike. A privileged container
 * gets every device of the host and a rule allowing all.
 */
final class DevicesSpec {

    private static final String ALL_ACCESS = "rwm";
    private static final int SHOWN_CHARS = 256;

    /** @param devices linux.devices; @param cgroupRules linux.resources.devices */
    record Built(ArrayNode devices, ArrayNode cgroupRules) {}

    private final ObjectMapper mapper;
    private final Path hostDevDir;

    /** @param hostDevDir the host's /dev, whose devices a privileged container gets */
    DevicesSpec(ObjectMapper mapper, Path hostDevDir) {
        this.mapper = mapper;
        this.hostDevDir = hostDevDir;
    }

    Built build(ContainerConfig config, boolean privileged) throws InvalidContainerConfigException, IOException {
        Map<String, DeviceNode> nodes = new LinkedHashMap<>(); // by container path: a later device replaces
        if (privileged) {
            for (DeviceNode node : HostDevices.below(hostDevDir, "/dev")) {
                nodes.put(node.path(), node);
            }
        }
        ArrayNode rules = mapper.createArrayNode();
        rules.addObject().put("allow", privileged).put("access", ALL_ACCESS);
        for (Device device : config.getDevicesList()) {
            String access = access(device);
            for (DeviceNode node : resolve(device)) {
                nodes.put(node.path(), node);
                if (!privileged) {
                    rules.addObject()
                            .put("allow", true)
                            .put("type", String.valueOf(node.type()))
                            .put("major", node.number().major())
                            .put("minor", node.number().minor())
                            .put("access", access);
                }
            }
        }
        ArrayNode devices = mapper.createArrayNode();
        for (DeviceNode node : nodes.values()) {
            devices.addObject()
                    .put("path", node.path())
                    .put("type", String.valueOf(node.type()))
                    .put("major", node.number().major())
                    .put("minor", node.number().minor())
                    .put("fileMode", node.fileMode())
                    .put("uid", node.uid())
                    .put("gid", node.gid());
        }
        return new Built(devices, rules);
    }

    private static List<DeviceNode> resolve(Device device) throws InvalidContainerConfigException, IOException {
        String hostPath = device.getHostPath();
        if (!hostPath.startsWith("/")) {
            throw new InvalidContainerConfigException(
                    "device host_path must be an absolute path, got \"" + shown(hostPath) + "\"");
        }
        String containerPath =
                containerPath(device.getContainerPath().isEmpty() ? hostPath : device.getContainerPath());
        Path resolved;
        try {
            resolved = Path.of(hostPath).toRealPath(); // a /dev/disk/by-id style link names the device it points at
        } catch (InvalidPathException e) {
            throw new InvalidContainerConfigException("device host_path \"" + shown(hostPath) + "\" is not a path");
        } catch (NoSuchFileException e) {
            throw new InvalidContainerConfigException(
                    "device host_path \"" + shown(hostPath) + "\" does not exist on the node");
        } catch (FileSystemException e) {
            throw new InvalidContainerConfigException(
                    "device host_path \"" + shown(hostPath) + "\" cannot be resolved: " + e.getReason());
        }
        if (HostDevices.isDirectory(resolved)) {
            return HostDevices.below(resolved, containerPath);
        }
        return List.of(HostDevices.node(resolved, containerPath)
                .orElseThrow(() -> new InvalidContainerConfigException(
                        "device host_path \"" + shown(hostPath) + "\" is not a character or block device")));
    }

    private static String containerPath(String requested) throws InvalidContainerConfigException {
        if (!requested.startsWith("/")) {
            throw new InvalidContainerConfigException(
                    "device container_path must be an absolute path, got \"" + shown(requested) + "\"");
        }
        String cleaned;
        try {
            cleaned = MountsSpec.clean(requested);
        } catch (InvalidPathException e) {
            throw new InvalidContainerConfigException(
                    "device container_path \"" + shown(requested) + "\" is not a path");
        }
        if (cleaned.equals("/")) {
            throw new InvalidContainerConfigException("device container_path must not be \"/\"");
        }
        return cleaned;
    }

    /** The cgroup access string: a subset of "rwm", each letter once, "rwm" when empty as in runc. */
    static String access(Device device) throws InvalidContainerConfigException {
        String permissions = device.getPermissions();
        if (permissions.isEmpty()) {
            return ALL_ACCESS;
        }
        StringBuilder access = new StringBuilder();
        for (char c : ALL_ACCESS.toCharArray()) {
            if (permissions.indexOf(c) >= 0) {
                access.append(c);
            }
        }
        if (access.length() != permissions.length()) {
            throw new InvalidContainerConfigException("device permissions for \"" + shown(device.getHostPath())
                    + "\" must be letters of \"rwm\", each at most once, got \"" + shown(permissions) + "\"");
        }
        return access.toString();
    }

    /** A client's string as a message may carry it: bounded, control characters (NUL too) as '?'. */
    private static String shown(String value) {
        String bounded = value.length() <= SHOWN_CHARS ? value : value.substring(0, SHOWN_CHARS) + "...";
        return bounded.replaceAll("\\p{Cntrl}", "?");
    }
}
