package dev.berth.network;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A network names a CNI plugin that no plugin dir holds. */
public final class PluginNotFoundException extends IOException {

    private final String plugin;

    public PluginNotFoundException(String plugin, List<Path> searched) {
        super("CNI plugin \"" + plugin + "\" not found in " + searched
                + "; install it there (e.g. the containernetworking-plugins package)");
        this.plugin = plugin;
    }

    public String plugin() {
        return plugin;
    }
}
