package dev.berth.streaming.spdy;

import dev.berth.streaming.StreamBackends;
import dev.berth.streaming.StreamRequest;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Port forwarding over SPDY, as kubelet's portforward server does it (httpStreamReceived, httpStreamHandler):
 * per forwarded connection the client opens an error stream and a data stream with the same {@code port} and
 * {@code requestID} headers; once both are there the pair is forwarded. Any number of pairs share the session.
 */
final class PortForwardSession implements SpdySession.Listener {

    private static final Logger log = LoggerFactory.getLogger(PortForwardSession.class);

    private final StreamBackends backends;
    private final StreamRequest.PortForward request;
    private final EventLoop eventLoop;
    /** Pairs still waiting for a stream, by request ID. Event loop only. */
    private final Map<String, PortForwardPair> waiting = new HashMap<>();
    /** Every pair not yet done, by its streams. Event loop only. */
    private final Map<SpdyStream, PortForwardPair> byStream = new HashMap<>();

    PortForwardSession(StreamBackends backends, StreamRequest.PortForward request, EventLoop eventLoop) {
        this.backends = backends;
        this.request = request;
        this.eventLoop = eventLoop;
    }

    @Override
    public boolean opened(SpdyStream stream) {
        String portHeader = stream.header("port");
        int port = port(portHeader);
        if (port < 1) {
            log.info(
                    "pod {}: port forward stream refused: port {} is not a TCP port",
                    request.podSandboxId(),
                    portHeader.isEmpty() ? "(none)" : "given");
            return false;
        }
        String type = stream.header("streamtype");
        if (!type.equals("error") && !type.equals("data")) {
            log.info("pod {}: port forward stream refused: invalid stream type", request.podSandboxId());
            return false;
        }
        String requestId = requestId(stream, type);
        PortForwardPair pair = waiting.get(requestId);
        if (pair == null) {
            pair = new PortForwardPair(backends, request, requestId, this::done);
            waiting.put(requestId, pair);
            PortForwardPair created = pair;
            eventLoop.schedule(
                    () -> timedOut(created),
                    backends.settings().streamCreationTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        if (!pair.add(type, stream, port)) {
            return false;
        }
        byStream.put(stream, pair);
        if (pair.complete()) {
            waiting.remove(requestId);
            backends.executor().execute(pair::forward);
        }
        return true;
    }

    /** kubelet's check: ParseUint(port, 10, 16), then > 0. */
    private static int port(String header) {
        if (header.isEmpty() || !header.chars().allMatch(Character::isDigit) || header.length() > 5) {
            return -1;
        }
        int port = Integer.parseInt(header);
        return port <= 65535 ? port : -1;
    }

    /**
     * Clients before Kubernetes 1.4 send no requestID: kubelet then pairs a data stream with the error stream
     * two IDs before it, which holds as long as connections are not opened concurrently.
     */
    private static String requestId(SpdyStream stream, String type) {
        String id = stream.header("requestid");
        if (!id.isEmpty()) {
            return id;
        }
        return Integer.toString(type.equals("error") ? stream.id() : stream.id() - 2);
    }

    private void timedOut(PortForwardPair pair) {
        if (waiting.remove(pair.requestId(), pair)) {
            log.info(
                    "pod {}: port forward request {} timed out waiting for streams",
                    request.podSandboxId(),
                    pair.requestId());
            pair.abandon("timed out waiting for streams");
        }
    }

    /** Any thread: the pair has ended both its streams. */
    private void done(PortForwardPair pair) {
        eventLoop.execute(() -> byStream.values().removeIf(p -> p == pair));
    }

    @Override
    public void reset(SpdyStream stream) {
        PortForwardPair pair = byStream.get(stream);
        if (pair != null) {
            pair.reset();
        }
    }

    @Override
    public void goAway() {
        // the client opens no more connections; the ones it has go on until it closes the session
    }

    @Override
    public void closed() {
        List<PortForwardPair> open = new ArrayList<>(byStream.values());
        byStream.clear();
        waiting.clear();
        open.forEach(PortForwardPair::reset);
    }
}
