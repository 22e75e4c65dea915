package dev.berth.streaming.websocket;

import dev.berth.streaming.InboundBytes;
import dev.berth.streaming.OutboundBytes;
import dev.berth.streaming.StreamBackends;
import dev.berth.streaming.StreamRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A port forward over a {@link ChannelConnection}, laid out as kubelet's portforward server does: port
 * {@code i} of the request has data channel {@code 2i} and error channel {@code 2i+1}, each opened by a
 * message holding the port as a little-endian uint16. One TCP connection per port; the WebSocket closes
 * once every port's forward has ended.
 */
final class PortForwardSession {

    private static final Logger log = LoggerFactory.getLogger(PortForwardSession.class);
    private static final int HIGH_WATER = 1024 * 1024;
    private static final int COPY_BUFFER = OutboundBytes.MAX_FRAME;
    /** containerd's grace for the other direction once one direction of a forward has ended. */
    private static final long OTHER_DIRECTION_GRACE_MILLIS = 1000;

    private final ChannelConnection connection;
    private final StreamRequest.PortForward request;
    private final List<Integer> ports;
    private final StreamBackends backends;
    private final InboundBytes[] inputs;
    private final AtomicInteger running;

    PortForwardSession(
            ChannelConnection connection,
            StreamRequest.PortForward request,
            List<Integer> ports,
            StreamBackends backends) {
        this.connection = connection;
        this.request = request;
        this.ports = List.copyOf(ports);
        this.backends = backends;
        this.inputs = new InboundBytes[ports.size()];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = connection.reader(2 * i, HIGH_WATER);
        }
        this.running = new AtomicInteger(ports.size());
    }

    static int channels(int ports) {
        return 2 * ports;
    }

    void start() {
        for (int i = 0; i < ports.size(); i++) {
            int port = ports.get(i);
            byte[] number = {(byte) port, (byte) (port >>> 8)};
            connection.send(2 * i, number);
            connection.send(2 * i + 1, number);
        }
        for (int i = 0; i < ports.size(); i++) {
            int index = i;
            backends.executor().execute(() -> forward(index));
        }
    }

    private void forward(int index) {
        int port = ports.get(index);
        InboundBytes input = inputs[index];
        OutboundBytes output = connection.writer(2 * index);
        try (SocketChannel socket = backends.ports().connect(request.podSandboxId(), port)) {
            log.debug("pod {}: forwarding port {}", request.podSandboxId(), port);
            Future<?> upstream = backends.executor().submit(() -> copyToPod(input, socket));
            copyToClient(socket, output);
            awaitOtherDirection(upstream);
        } catch (IOException e) {
            if (connection.gone().isDone()) {
                log.debug(
                        "pod {}: forward of port {} ended with its client: {}",
                        request.podSandboxId(),
                        port,
                        e.toString());
                return;
            }
            String message =
                    "error forwarding port " + port + " to pod " + request.podSandboxId() + ", uid : " + e.getMessage();
            log.info("pod {}: {}", request.podSandboxId(), message);
            connection.send(2 * index + 1, message.getBytes(StandardCharsets.UTF_8));
        } finally {
            output.close();
            input.close();
            if (running.decrementAndGet() == 0) {
                connection.finish();
            }
        }
    }

    /** The client's bytes into the pod; its end of input (the connection ended) half-closes the socket. */
    private static Void copyToPod(InboundBytes input, SocketChannel socket) throws IOException {
        byte[] buffer = new byte[COPY_BUFFER];
        int n;
        while ((n = input.read(buffer, 0, buffer.length)) >= 0) {
            ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
            while (chunk.hasRemaining()) {
                socket.write(chunk);
            }
        }
        socket.shutdownOutput();
        return null;
    }

    /** The pod's bytes to the client until the pod closes its side (or the client goes away). */
    private static void copyToClient(SocketChannel socket, OutboundBytes output) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(COPY_BUFFER);
        while (socket.read(buffer) >= 0) {
            buffer.flip();
            output.write(buffer.array(), 0, buffer.remaining());
            buffer.clear();
        }
    }

    private static void awaitOtherDirection(Future<?> upstream) {
        try {
            upstream.get(OTHER_DIRECTION_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            upstream.cancel(true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            upstream.cancel(true);
        } catch (java.util.concurrent.ExecutionException e) {
            log.debug(
                    "port forward: copy to the pod ended with {}", e.getCause().toString());
        }
    }
}
