package dev.berth.streaming;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/** What the streaming server asks of the sandbox feature for a port forward. */
public interface PodPorts {

    /**
     * A TCP connection to {@code localhost:port} inside the pod's network namespace (the host's, for a
     * host-network pod). Fails with an IOException naming the cause (connection refused) when it cannot.
     */
    SocketChannel connect(String podSandboxId, int port) throws IOException;
}
