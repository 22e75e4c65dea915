package dev.berth.streaming.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.runtime.RemoteStreams;
import dev.berth.runtime.TerminalSize;
import dev.berth.runtime.TerminalSizeQueue;
import dev.berth.streaming.InboundBytes;
import dev.berth.streaming.OutboundBytes;
import dev.berth.streaming.RemoteCommands;
import dev.berth.streaming.StreamBackends;
import dev.berth.streaming.StreamRequest;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exec or attach over a {@link ChannelConnection}, laid out as kubelet's remotecommand server does: channels
 * 0 stdin, 1 stdout, 2 stderr, 3 error, 4 resize. When the command ends the error channel gets its status and
 * the connection is closed.
 */
final class RemoteCommandSession {

    static final int CHANNELS = 5;
    private static final int STDIN = 0;
    private static final int STDOUT = 1;
    private static final int STDERR = 2;
    private static final int ERROR = 3;
    private static final int RESIZE = 4;
    /** Client input queued beyond this stops reading the connection until the command catches up. */
    private static final int STDIN_HIGH_WATER = 1024 * 1024;

    private static final int RESIZE_HIGH_WATER = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(RemoteCommandSession.class);

    private final ChannelConnection connection;
    private final ChannelProtocol protocol;
    private final StreamRequest request;
    private final StreamRequest.Channels channels;
    private final StreamBackends backends;
    private final RemoteCommands commands;
    private final InboundBytes stdin;
    private final InboundBytes resize;

    /** Registers the readers at once, so nothing the client sends right after the handshake is lost. */
    RemoteCommandSession(
            ChannelConnection connection,
            ChannelProtocol protocol,
            StreamRequest request,
            StreamRequest.Channels channels,
            StreamBackends backends,
            RemoteCommands commands) {
        this.connection = connection;
        this.protocol = protocol;
        this.request = request;
        this.channels = channels;
        this.backends = backends;
        this.commands = commands;
        this.stdin = channels.stdin() ? connection.reader(STDIN, STDIN_HIGH_WATER) : null;
        // kubelet applies resizes only with a tty; without one they are dropped
        this.resize = channels.tty() ? connection.reader(RESIZE, RESIZE_HIGH_WATER) : null;
    }

    /** Once the client has the 101: the "connected" message, then the command on a virtual thread. */
    void start() {
        // kubelet's signal that the streams are ready: an empty message on the lowest channel it writes
        connection.send(channels.stdout() ? STDOUT : channels.stderr() ? STDERR : ERROR, new byte[0]);
        TerminalSizeQueue resizes = new TerminalSizeQueue();
        if (resize != null) {
            backends.executor().execute(() -> readResizes(resizes));
        }
        OutboundBytes stdout = channels.stdout() ? connection.writer(STDOUT) : null;
        OutboundBytes stderr = channels.stderr() ? connection.writer(STDERR) : null;
        RemoteStreams streams = new RemoteStreams(stdin, stdout, stderr, resizes, connection.gone());
        backends.executor().execute(() -> {
            try {
                byte[] status = commands.run(request, streams, protocol.statusJson());
                if (status.length > 0) {
                    connection.send(ERROR, status);
                }
            } finally {
                // a backend thread that outlives its command must not write into the next message
                if (stdout != null) {
                    stdout.close();
                }
                if (stderr != null) {
                    stderr.close();
                }
                if (stdin != null) {
                    stdin.close();
                }
                if (resize != null) {
                    resize.close();
                }
                resizes.close();
                connection.finish();
            }
        });
    }

    /** The resize channel is a stream of JSON objects, as kubelet decodes it, not one object per message. */
    private void readResizes(TerminalSizeQueue resizes) {
        try (MappingIterator<JsonNode> sizes = JSON.readerFor(JsonNode.class).readValues(resize)) {
            while (sizes.hasNextValue()) {
                JsonNode size = sizes.nextValue();
                resizes.offer(new TerminalSize(
                        size.path("Width").asInt(), size.path("Height").asInt()));
            }
        } catch (IOException | RuntimeException e) {
            log.debug("{} {}: resize channel ended: {}", request.kind(), id(), e.toString());
        }
    }

    private String id() {
        return switch (request) {
            case StreamRequest.Exec exec -> exec.containerId();
            case StreamRequest.Attach attach -> attach.containerId();
            case StreamRequest.PortForward forward -> forward.podSandboxId();
        };
    }
}
