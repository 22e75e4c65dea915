package dev.berth.cli.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * A gRPC channel to a server on a unix socket, plaintext HTTP/2 on the JDK's own socket channel: what a CLI's
 * handful of calls needs, without the start-up of Netty and grpc-core (native library, name resolution, load
 * balancing, service config). The generated stubs take it as any channel. It connects at the first call and
 * again after the connection failed or the server sent GOAWAY; a connection that fails ends its calls
 * UNAVAILABLE with the failure as cause, as a socket nobody listens on does.
 */
public final class UnixGrpcChannel extends Channel implements AutoCloseable {

    private final Path socket;
    private final int maxInboundMessageBytes;
    private final String userAgent;
    private Http2Connection connection;
    private ScheduledThreadPoolExecutor timer;
    private boolean closed;

    private UnixGrpcChannel(Path socket, int maxInboundMessageBytes) {
        this.socket = socket;
        this.maxInboundMessageBytes = maxInboundMessageBytes;
        String version = UnixGrpcChannel.class.getPackage().getImplementationVersion();
        this.userAgent = "berth/" + (version == null ? "dev" : version);
    }

    /** A channel to the socket whose responses may carry messages up to {@code maxInboundMessageBytes}. */
    public static UnixGrpcChannel connect(Path socket, int maxInboundMessageBytes) {
        return new UnixGrpcChannel(socket, maxInboundMessageBytes);
    }

    /** As {@link #connect(Path, int)} with grpc-java's default of 4 MiB. */
    public static UnixGrpcChannel connect(Path socket) {
        return connect(socket, 4 << 20);
    }

    @Override
    public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions callOptions) {
        return new GrpcClientCall<>(this, method, callOptions, maxInboundMessageBytes);
    }

    @Override
    public String authority() {
        return "localhost";
    }

    String userAgent() {
        return userAgent;
    }

    /** The connection for a new call; UNAVAILABLE with a cause when the socket takes none. */
    synchronized Http2Connection connection() {
        if (closed) {
            throw Status.UNAVAILABLE.withDescription("the channel is closed").asRuntimeException();
        }
        if (connection == null || connection.refusesStreams()) {
            connection = Http2Connection.open(socket);
        }
        return connection;
    }

    /** Deadlines' one timer thread, started by the first call that has a deadline. */
    synchronized ScheduledExecutorService timer() {
        if (timer == null) {
            timer = new ScheduledThreadPoolExecutor(
                    1, Thread.ofPlatform().daemon().name("berth-grpc-deadlines").factory());
            timer.setRemoveOnCancelPolicy(true);
        }
        return timer;
    }

    /** GOAWAY and the socket closed; calls still open end CANCELLED. */
    @Override
    public void close() {
        Http2Connection open;
        synchronized (this) {
            closed = true;
            open = connection;
            connection = null;
            if (timer != null) {
                timer.shutdownNow();
            }
        }
        if (open != null) {
            open.close();
        }
    }
}
