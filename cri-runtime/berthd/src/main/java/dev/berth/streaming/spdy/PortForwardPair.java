package dev.berth.streaming.spdy;

import dev.berth.streaming.OutboundBytes;
import dev.berth.streaming.StreamBackends;
import dev.berth.streaming.StreamRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One forwarded connection: the client's error and data streams and the TCP connection into the pod. Bytes
 * are copied both ways on virtual threads, each direction ending on its own (a client FIN shuts down the
 * socket's output, the pod closing sends the data stream's FIN), so half-closing protocols work. A failure
 * is reported on the error stream in kubelet's words; then both streams end.
 */
final class PortForwardPair {

    private static final Logger log = LoggerFactory.getLogger(PortForwardPair.class);
    private static final int BUFFER = OutboundBytes.MAX_FRAME;
    /**
     * The most one read from the pod puts in one DATA frame: big frames keep per-frame costs (a hand-over to
     * the event loop, a flush, the client's wake-up) small beside the bytes. spdystream takes frames of any size
     * SPDY allows (16 MiB); a read returns what the socket holds, so an interactive protocol still gets small
     * frames at once.
     */
    private static final int FRAME_FROM_POD = 256 * 1024;

    private final StreamBackends backends;
    private final StreamRequest.PortForward request;
    private final String requestId;
    private final Consumer<PortForwardPair> done;
    private SpdyStream error;
    private SpdyStream data;
    private int port;
    /** Guarded by this. */
    private SocketChannel socket;

    private boolean aborted;
    private boolean started;
    private boolean ended;

    PortForwardPair(
            StreamBackends backends,
            StreamRequest.PortForward request,
            String requestId,
            Consumer<PortForwardPair> done) {
        this.backends = backends;
        this.request = request;
        this.requestId = requestId;
        this.done = done;
    }

    String requestId() {
        return requestId;
    }

    /** Event loop. False when the pair already has a stream of that type (kubelet's "already assigned"). */
    synchronized boolean add(String type, SpdyStream stream, int port) {
        if (type.equals("error") ? error != null : data != null) {
            if (error != null) {
                error.write(
                        ("error processing stream for request " + requestId + ": " + type + " stream already assigned")
                                .getBytes(StandardCharsets.UTF_8));
            }
            return false;
        }
        if (type.equals("error")) {
            error = stream;
            // the client half-closes its error stream at once and never writes to it
            stream.inbound().close();
        } else {
            data = stream;
            this.port = port;
        }
        return true;
    }

    synchronized boolean complete() {
        return error != null && data != null;
    }

    /** On a virtual thread, once both streams are there. */
    void forward() {
        synchronized (this) {
            if (ended) {
                return;
            }
            started = true;
        }
        String failure = null;
        try {
            if (!request.ports().isEmpty() && !request.ports().contains(port)) {
                throw new IOException(
                        "port " + port + " is not among the ports this port forward was granted " + request.ports());
            }
            SocketChannel connected = backends.ports().connect(request.podSandboxId(), port);
            synchronized (this) {
                if (aborted) {
                    closeQuietly(connected);
                    return;
                }
                socket = connected;
            }
            failure = copyBothWays(connected);
        } catch (IOException e) {
            failure = e.getMessage();
        } finally {
            end(failure);
        }
    }

    /** Returns why forwarding failed, or null when both directions ended (or the client reset the stream). */
    private String copyBothWays(SocketChannel socket) {
        Future<String> toPod = backends.executor().submit(() -> copyToPod(socket));
        String fromPod = copyFromPod(socket);
        String toPodFailure;
        try {
            toPodFailure = toPod.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort();
            toPodFailure = "interrupted";
        } catch (ExecutionException e) {
            toPodFailure = String.valueOf(e.getCause());
        }
        return fromPod != null ? fromPod : toPodFailure;
    }

    private String copyToPod(SocketChannel socket) {
        InputStream in = data.inbound();
        byte[] buffer = new byte[BUFFER];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    socket.write(chunk);
                }
            }
            if (!isAborted()) {
                socket.shutdownOutput();
            }
            return null;
        } catch (IOException e) {
            return failed(e);
        }
    }

    private String copyFromPod(SocketChannel socket) {
        OutboundBytes out = data.outbound();
        while (true) {
            int n;
            try {
                n = out.transferFrom(socket, FRAME_FROM_POD);
            } catch (OutboundBytes.ClientGoneException e) {
                abort(); // the client is gone: nothing to report to
                return null;
            } catch (IOException e) {
                return failed(e);
            }
            if (n < 0) {
                out.close();
                return null;
            }
        }
    }

    /** A copy failed: unless the pair was torn down on purpose, that is the pair's failure; stop the other way. */
    private String failed(IOException e) {
        if (isAborted()) {
            return null;
        }
        abort();
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    private synchronized boolean isAborted() {
        return aborted;
    }

    /** Stops both copies: closing the socket and the client bytes unblocks whichever waits. */
    private void abort() {
        SocketChannel open;
        synchronized (this) {
            aborted = true;
            open = socket;
        }
        if (open != null) {
            closeQuietly(open);
        }
        data.inbound().close();
    }

    private void end(String failure) {
        SocketChannel open;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            open = socket;
        }
        if (open != null) {
            closeQuietly(open);
        }
        data.inbound().close();
        data.finish();
        if (failure != null) {
            log.info("pod {}: forwarding port {} failed: {}", request.podSandboxId(), port, failure);
            error.write(
                    String.format("error forwarding port %d to pod %s, uid : %s", port, request.podSandboxId(), failure)
                            .getBytes(StandardCharsets.UTF_8));
        }
        error.finish();
        done.accept(this);
    }

    /** Event loop: the client reset one of the streams, or the connection is gone. */
    void reset() {
        boolean running;
        synchronized (this) {
            running = started;
        }
        if (running) {
            abort();
            return;
        }
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            aborted = true;
        }
        for (SpdyStream stream : new SpdyStream[] {error, data}) {
            if (stream != null) {
                stream.reset();
            }
        }
        done.accept(this);
    }

    /** Event loop: the pair never got its second stream. */
    void abandon(String reason) {
        synchronized (this) {
            if (ended || started) {
                return;
            }
            ended = true;
        }
        if (error != null) {
            error.write(reason.getBytes(StandardCharsets.UTF_8));
            error.finish();
        }
        if (data != null) {
            data.reset();
        }
        done.accept(this);
    }

    private static void closeQuietly(SocketChannel socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing is all that was left to do
        }
    }
}
