package dev.berth.streaming.spdy;

import dev.berth.runtime.RemoteStreams;
import dev.berth.runtime.TerminalSizeQueue;
import dev.berth.streaming.RemoteCommands;
import dev.berth.streaming.StreamBackends;
import dev.berth.streaming.StreamRequest;
import dev.berth.timing.PhaseTimer;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.OutputStream;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exec or attach over SPDY, as kubelet's remotecommand server does it (createHTTPStreamStreams, the v1-v4
 * protocol handlers, ServeExec): the client opens an error stream and one stream per channel it asked for
 * (plus resize with a tty, from v3 on), in that order, each answered at once. Once all expected streams are
 * there the command runs; at the end the error stream carries the status (v4: a metav1.Status JSON, before:
 * a text, nothing on success), every stream is ended, and the connection closes.
 */
final class RemoteCommandSession implements SpdySession.Listener {

    private static final Logger log = LoggerFactory.getLogger(RemoteCommandSession.class);

    enum StreamType {
        ERROR,
        STDIN,
        STDOUT,
        STDERR,
        RESIZE;

        static StreamType of(String header) {
            for (StreamType type : values()) {
                if (type.name().equalsIgnoreCase(header)) {
                    return type;
                }
            }
            return null;
        }
    }

    private final SpdySession session;
    private final StreamBackends backends;
    private final StreamRequest request;
    private final StreamRequest.Channels channels;
    private final String protocol;
    private final int expected;
    private final Map<StreamType, SpdyStream> streams = new EnumMap<>(StreamType.class);
    private final CompletableFuture<Void> clientGone = new CompletableFuture<>();
    private final ScheduledFuture<?> creationTimeout;
    private final PhaseTimer timer = new PhaseTimer();
    private int received;
    private boolean started;

    RemoteCommandSession(
            SpdySession session, StreamBackends backends, StreamRequest request, String protocol, EventLoop eventLoop) {
        this.session = session;
        this.backends = backends;
        this.request = request;
        this.channels = switch (request) {
            case StreamRequest.Exec exec -> exec.channels();
            case StreamRequest.Attach attach -> attach.channels();
            case StreamRequest.PortForward forward -> throw new IllegalArgumentException("not a remote command");
        };
        this.protocol = protocol;
        this.expected = 1
                + (channels.stdin() ? 1 : 0)
                + (channels.stdout() ? 1 : 0)
                + (channels.stderr() ? 1 : 0)
                + (channels.tty() && resizable() ? 1 : 0);
        long timeout = backends.settings().streamCreationTimeout().toMillis();
        this.creationTimeout = eventLoop.schedule(this::timedOut, timeout, TimeUnit.MILLISECONDS);
    }

    private boolean resizable() {
        return ProtocolVersions.statusJson(protocol) || protocol.equals(ProtocolVersions.V3);
    }

    @Override
    public boolean opened(SpdyStream stream) {
        StreamType type = StreamType.of(stream.header("streamtype"));
        if (type == null || started) {
            // kubelet answers these too (its stream handler accepts every stream) and then ignores them
            log.debug("{}: unexpected stream type {} ignored", request.kind(), stream.header("streamtype"));
            stream.inbound().close();
            return true;
        }
        streams.put(type, stream);
        if (++received == expected) {
            creationTimeout.cancel(false);
            started = true;
            timer.lap("streams");
            backends.executor().execute(this::run);
        }
        return true;
    }

    private void timedOut() {
        if (!started) {
            log.info(
                    "{}: timed out waiting for client to create streams ({} of {})",
                    request.kind(),
                    received,
                    expected);
            session.abort();
        }
    }

    /** On a virtual thread: the whole life of the command. */
    private void run() {
        SpdyStream stdin = streams.get(StreamType.STDIN);
        SpdyStream resize = streams.get(StreamType.RESIZE);
        SpdyStream error = streams.get(StreamType.ERROR);
        streams.values().stream()
                .filter(s -> s != stdin && s != resize)
                .forEach(s -> s.inbound().close());
        if (stdin != null && protocol.equals(ProtocolVersions.V1)) {
            // v1 kubelets half-close stdin right after the streams are created (fixed in v2); v1 clients expect it
            stdin.finish();
        }
        TerminalSizeQueue sizes = new TerminalSizeQueue();
        if (resize != null) {
            backends.executor().execute(() -> ResizeReader.copy(resize.inbound(), sizes));
        } else {
            sizes.close();
        }
        OutputStream stdout = channels.stdout() ? outbound(StreamType.STDOUT) : null;
        OutputStream stderr = channels.stderr() && !channels.tty() ? outbound(StreamType.STDERR) : null;
        RemoteStreams remote =
                new RemoteStreams(stdin != null ? stdin.inbound() : null, stdout, stderr, sizes, clientGone);
        timer.lap("dispatch");
        byte[] status =
                new RemoteCommands(backends.containers()).run(request, remote, ProtocolVersions.statusJson(protocol));
        timer.lap("command");
        // the order the client reads in: stdout and stderr to their end, then the error stream to its end
        close(stdout);
        close(stderr);
        if (error != null) {
            error.write(status);
            error.finish();
        }
        streams.values().forEach(SpdyStream::finish);
        if (stdin != null) {
            stdin.inbound().close();
        }
        sizes.close();
        if (resize != null) {
            resize.inbound().close();
        }
        session.close();
        timer.lap("status");
        log.debug("{}: spdy phases ms: {}", request.kind(), timer.summary());
    }

    private OutputStream outbound(StreamType type) {
        SpdyStream stream = streams.get(type);
        return stream == null ? null : stream.outbound();
    }

    private static void close(OutputStream out) {
        if (out != null) {
            try {
                out.close();
            } catch (java.io.IOException e) {
                // the client is gone; nothing left to tell it
            }
        }
    }

    @Override
    public void reset(SpdyStream stream) {
        if (stream == streams.get(StreamType.STDIN) || stream == streams.get(StreamType.RESIZE)) {
            return; // lost() already ended what the command reads from it
        }
        if (started) {
            // output nobody reads any more: the client is leaving, so the command must end
            session.abort();
        }
    }

    @Override
    public void goAway() {
        // client-go sends GOAWAY only from Close(), after it has reset its streams: the client is done
        if (started) {
            session.abort();
        }
    }

    @Override
    public void closed() {
        log.debug("{}: spdy connection closed after ms: {}", request.kind(), timer.summary());
        creationTimeout.cancel(false);
        clientGone.complete(null);
    }
}
