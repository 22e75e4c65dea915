package dev.berth.network;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Finds a plugin binary in the first plugin dir that has it, as libcni's FindInPath does. */
final class PluginLocator {

    private final List<Path> pluginDirs;

    PluginLocator(List<Path> pluginDirs) {
        this.pluginDirs = List.copyOf(pluginDirs);
    }

    Optional<Path> find(String type) {
        if (type.isEmpty() || type.contains("/") || type.equals(".") || type.equals("..")) {
            return Optional.empty();
        }
        return pluginDirs.stream()
                .map(dir -> dir.resolve(type))
                .filter(file -> Files.isRegularFile(file) && Files.isExecutable(file))
                .findFirst();
    }

    Path require(String type) throws PluginNotFoundException {
        return find(type).orElseThrow(() -> new PluginNotFoundException(type, pluginDirs));
    }

    /** The CNI_PATH plugins such as bridge use to find their IPAM plugin. */
    String cniPath() {
        return pluginDirs.stream().map(Path::toString).collect(Collectors.joining(":"));
    }

    List<Path> dirs() {
        return pluginDirs;
    }
}
