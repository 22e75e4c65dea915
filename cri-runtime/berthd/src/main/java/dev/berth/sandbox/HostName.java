package dev.berth.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The node's own host name, for pods on the node's network and pods that name none. */
final class HostName {

    private HostName() {}

    static String ofNode() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
