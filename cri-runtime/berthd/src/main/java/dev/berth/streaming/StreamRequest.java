package dev.berth.streaming;

import dev.berth.oci.ProcessOptions;
import java.util.List;

/**
 * What a CRI Exec, Attach or PortForward call asked for, held behind a single-use token until the client
 * connects to the streaming server. IDs are already resolved to full IDs of existing objects.
 */
public sealed interface StreamRequest {

    /** The URL path segment kubelet's and containerd's streaming servers use for this kind. */
    String kind();

    /** Which of the client's streams a remote command (exec, attach) uses. */
    record Channels(boolean stdin, boolean stdout, boolean stderr, boolean tty) {

        public Channels {
            if (tty && stderr) {
                throw new IllegalArgumentException("tty and stderr cannot both be true");
            }
            if (!stdin && !stdout && !stderr) {
                throw new IllegalArgumentException("one of stdin, stdout or stderr must be true");
            }
        }
    }

    /** @param options berth.v1 Exec's user, working directory and variables; {@link ProcessOptions#NONE} for CRI's */
    record Exec(String containerId, List<String> command, Channels channels, ProcessOptions options)
            implements StreamRequest {

        public Exec {
            command = List.copyOf(command);
            if (command.isEmpty()) {
                throw new IllegalArgumentException("cmd is required");
            }
            if (options == null) {
                throw new IllegalArgumentException("options are required (ProcessOptions.NONE for none)");
            }
        }

        /** CRI's Exec: argv alone. */
        public Exec(String containerId, List<String> command, Channels channels) {
            this(containerId, command, channels, ProcessOptions.NONE);
        }

        @Override
        public String kind() {
            return "exec";
        }
    }

    record Attach(String containerId, Channels channels) implements StreamRequest {

        @Override
        public String kind() {
            return "attach";
        }
    }

    /** {@code ports} may be empty: the client then names the ports per stream (SPDY) or in the URL (WebSocket). */
    record PortForward(String podSandboxId, List<Integer> ports) implements StreamRequest {

        public PortForward {
            ports = checkedPorts(ports);
        }

        /** The ports as given, once each is a TCP port; else IllegalArgumentException naming the bad one. */
        public static List<Integer> checkedPorts(List<Integer> ports) {
            for (int port : ports) {
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException("port " + port + " is not a TCP port");
                }
            }
            return List.copyOf(ports);
        }

        @Override
        public String kind() {
            return "portforward";
        }
    }
}
