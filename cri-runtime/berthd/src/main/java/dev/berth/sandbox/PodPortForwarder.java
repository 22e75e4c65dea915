package dev.berth.sandbox;

import dev.berth.store.NotFoundException;
import dev.berth.streaming.PodPorts;
import dev.berth.sys.NamespaceCalls;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Port forwarding without a helper process: a socket belongs to the network namespace it was created in,
 * so a short-lived platform thread joins the pod's pinned netns, creates the sockets and ends (no JVM thread
 * stays in a pod's namespace); the connect then runs on the caller's thread. Like containerd, localhost is
 * tried over IPv4 ({@code 127.0.0.1}) first, then IPv6 ({@code ::1}).
 */
public final class PodPortForwarder implements PodPorts {

    private static final Logger log = LoggerFactory.getLogger(PodPortForwarder.class);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final InetAddress LOOPBACK_V4 = loopback(new byte[] {127, 0, 0, 1});
    private static final InetAddress LOOPBACK_V6 =
            loopback(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});

    private final SandboxService sandboxes;
    private final NamespaceCalls namespaces;

    public PodPortForwarder(SandboxService sandboxes, NamespaceCalls namespaces) {
        this.sandboxes = sandboxes;
        this.namespaces = namespaces;
    }

    @Override
    public SocketChannel connect(String podSandboxId, int port) throws IOException {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not a TCP port");
        }
        SandboxRecord sandbox;
        try {
            sandbox = sandboxes.get(podSandboxId);
        } catch (NotFoundException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (sandbox.state() != SandboxState.READY) {
            throw new IOException("pod sandbox " + sandbox.id() + " is not ready (" + sandbox.state() + ")");
        }
        String netns = sandbox.status().netnsPath();
        Sockets sockets = netns == null ? Sockets.open() : openIn(Path.of(netns), sandbox.id());
        IOException v4Failure;
        try {
            connect(sockets.v4(), LOOPBACK_V4, port);
            closeQuietly(sockets.v6());
            return sockets.v4();
        } catch (IOException e) {
            v4Failure = e;
            closeQuietly(sockets.v4());
        }
        if (sockets.v6() == null) {
            throw refused(sandbox.id(), port, v4Failure, null);
        }
        try {
            connect(sockets.v6(), LOOPBACK_V6, port);
            return sockets.v6();
        } catch (IOException e) {
            closeQuietly(sockets.v6());
            throw refused(sandbox.id(), port, v4Failure, e);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // unconnected or failed: nothing to flush
            }
        }
    }

    private static void connect(SocketChannel channel, InetAddress address, int port) throws IOException {
        channel.socket().connect(new InetSocketAddress(address, port), (int) CONNECT_TIMEOUT.toMillis());
    }

    private static IOException refused(String podId, int port, IOException v4, IOException v6) {
        String reason = describe(v4) + (v6 == null ? "" : "; IPv6: " + describe(v6));
        IOException failure = v4 instanceof ConnectException || v6 instanceof ConnectException
                ? new ConnectException("connection refused: nothing listens on localhost:" + port + " in pod " + podId
                        + " (IPv4: " + reason + ")")
                : new IOException(
                        "cannot connect to localhost:" + port + " in pod " + podId + " (IPv4: " + reason + ")");
        failure.addSuppressed(v4);
        if (v6 != null) {
            failure.addSuppressed(v6);
        }
        return failure;
    }

    private static String describe(IOException e) {
        return e instanceof SocketTimeoutException
                ? "no answer within " + CONNECT_TIMEOUT.toSeconds() + " s"
                : String.valueOf(e.getMessage());
    }

    private static InetAddress loopback(byte[] address) {
        try {
            return InetAddress.getByAddress(address);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private Sockets openIn(Path netns, String podId) throws IOException {
        CompletableFuture<Sockets> opened = new CompletableFuture<>();
        Thread.ofPlatform().name("berth-portforward-" + podId).start(() -> {
            try {
                namespaces.enter(netns, NamespaceCalls.CLONE_NEWNET);
                opened.complete(Sockets.open());
            } catch (Throwable e) {
                opened.completeExceptionally(e);
            }
        });
        try {
            return opened.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw new IOException(
                        "cannot enter the network namespace of pod " + podId + ": " + io.getMessage(), io);
            }
            throw e;
        }
    }

    /** An IPv4 and, where the namespace has IPv6, an IPv6 socket (else null), both unconnected. */
    private record Sockets(SocketChannel v4, SocketChannel v6) {

        static Sockets open() throws IOException {
            SocketChannel v4 = SocketChannel.open(StandardProtocolFamily.INET);
            SocketChannel v6;
            try {
                v6 = SocketChannel.open(StandardProtocolFamily.INET6);
            } catch (IOException | UnsupportedOperationException e) {
                log.debug("no IPv6 socket for a port forward: {}", e.toString());
                v6 = null;
            }
            return new Sockets(v4, v6);
        }
    }
}
