package dev.berth.daemon;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * CRI's RuntimeReady and NetworkReady, from what is really on the node: an OCI runtime binary to run
 * containers with, and the CNI plugins the embedded default network needs.
 */
public final class NodeReadiness {

    public record Condition(String type, boolean ready, String reason, String message) {
    }

    private static final List<String> DEFAULT_NETWORK_PLUGINS = List.of("bridge", "host-local", "loopback", "portmap");

    private final List<Path> runtimeSearchPath;
    private final List<Path> cniPluginDirs;

    public NodeReadiness(List<Path> runtimeSearchPath, List<Path> cniPluginDirs) {
        this.runtimeSearchPath = runtimeSearchPath;
        this.cniPluginDirs = cniPluginDirs;
    }

    public static NodeReadiness forHost() {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        List<Path> dirs = java.util.Arrays.stream(path.split(":")).filter(s -> !s.isEmpty()).map(Path::of).toList();
        return new NodeReadiness(dirs, List.of(Path.of("/opt/cni/bin"), Path.of("/usr/lib/cni")));
    }

    public List<Condition> check() {
        return List.of(runtimeReady(), networkReady());
    }

    private Condition runtimeReady() {
        boolean runc = runtimeSearchPath.stream().anyMatch(dir -> Files.isExecutable(dir.resolve("runc")));
        return runc
                ? new Condition("RuntimeReady", true, "", "")
                : new Condition("RuntimeReady", false, "OCIRuntimeNotFound",
                        "runc was not found on PATH " + runtimeSearchPath + "; install it (apt-get install runc)");
    }

    private Condition networkReady() {
        for (Path dir : cniPluginDirs) {
            if (DEFAULT_NETWORK_PLUGINS.stream().allMatch(p -> Files.isExecutable(dir.resolve(p)))) {
                return new Condition("NetworkReady", true, "", "");
            }
        }
        return new Condition("NetworkReady", false, "NetworkPluginNotReady",
                "CNI plugins " + DEFAULT_NETWORK_PLUGINS + " not found in " + cniPluginDirs
                        + "; install them (apt-get install containernetworking-plugins)");
    }
}
