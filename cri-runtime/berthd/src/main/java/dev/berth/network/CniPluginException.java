package dev.berth.network;

import java.io.IOException;

/**
 * A CNI plugin failed. The message names the plugin and the command and quotes the plugin's CNI error
 * ({@code code}, {@code msg}, {@code details}), or its raw output when it printed no CNI error.
 */
public final class CniPluginException extends IOException {

    private final String plugin;
    private final int code;

    public CniPluginException(String plugin, String message, int code) {
        super(message);
        this.plugin = plugin;
        this.code = code;
    }

    public String plugin() {
        return plugin;
    }

    /** The CNI error code (e.g. 11 "try again later"), or -1 when the plugin printed no CNI error. */
    public int code() {
        return code;
    }
}
