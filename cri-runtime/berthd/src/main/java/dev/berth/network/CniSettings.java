package dev.berth.network;

import java.nio.file.Path;
import java.util.List;

/**
 * Where CNI configuration and plugins live, and what the embedded default network looks like.
 *
 * @param stateDir berthd's CNI state: the cached ADD results and host-local's allocations
 * @param defaultBridge bridge of the embedded default network (used only when confDir holds no network)
 * @param defaultSubnet its host-local subnet, CIDR
 */
public record CniSettings(
        Path confDir, List<Path> pluginDirs, Path stateDir, String defaultBridge, String defaultSubnet) {

    public CniSettings {
        pluginDirs = List.copyOf(pluginDirs);
        if (pluginDirs.isEmpty()) {
            throw new IllegalArgumentException("at least one CNI plugin directory is needed");
        }
        if (defaultBridge == null || defaultBridge.isEmpty() || defaultBridge.length() > 15) {
            throw new IllegalArgumentException(
                    "bridge name must be 1-15 characters (a Linux interface name): " + defaultBridge);
        }
        if (defaultSubnet == null || !defaultSubnet.contains("/")) {
            throw new IllegalArgumentException("default subnet must be a CIDR such as 10.88.0.0/16: " + defaultSubnet);
        }
    }

    public static CniSettings defaults(Path berthStateDir) {
        return new CniSettings(
                Path.of("/etc/cni/net.d"),
                List.of(Path.of("/opt/cni/bin"), Path.of("/usr/lib/cni")),
                berthStateDir.resolve("cni"),
                "berth0",
                "10.88.0.0/16");
    }

    /** host-local's allocation files, kept under berthd's state so a test or a second daemon is isolated. */
    public Path ipamDataDir() {
        return stateDir.resolve("networks");
    }

    public Path resultCacheDir() {
        return stateDir.resolve("results");
    }
}
