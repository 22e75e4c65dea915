package dev.berth.streaming.websocket;

import dev.berth.streaming.RemoteCommands;
import dev.berth.streaming.StreamBackends;
import dev.berth.streaming.StreamRequest;
import dev.berth.streaming.StreamingProtocol;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exec, attach and port forward over WebSocket, as kubelet's streaming server serves them to kubectl and the
 * API server: the {@link ChannelProtocol} sub-protocols, the client's preference deciding among them.
 */
public final class WebSocketProtocol implements StreamingProtocol {

    private static final Logger log = LoggerFactory.getLogger(WebSocketProtocol.class);
    /** As large as golang.org/x/net/websocket's default, which kubelet's server uses, for frames and messages. */
    static final int MAX_MESSAGE_BYTES = 32 * 1024 * 1024;
    /** kubelet's query parameter naming the ports when the CRI request named none (api.PortHeader). */
    private static final String PORT_PARAMETER = "port";

    private final StreamBackends backends;
    private final RemoteCommands commands;

    public WebSocketProtocol(StreamBackends backends) {
        this.backends = backends;
        this.commands = new RemoteCommands(backends.containers());
    }

    @Override
    public boolean accepts(FullHttpRequest request) {
        return "websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE));
    }

    @Override
    public void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, StreamRequest streamRequest) {
        List<ChannelProtocol> supported = streamRequest instanceof StreamRequest.PortForward
                ? ChannelProtocol.PORT_FORWARD
                : ChannelProtocol.REMOTE_COMMAND;
        List<String> offered = offered(request);
        Optional<ChannelProtocol> chosen = ChannelProtocol.choose(offered, supported);
        if (chosen.isEmpty()) {
            log.info("streaming: {} refused, sub-protocols {} are not supported", streamRequest.kind(), offered);
            respond(
                    ctx,
                    HttpResponseStatus.FORBIDDEN,
                    "requested protocol(s) are not supported: " + offered + "; supports "
                            + ChannelProtocol.wireNames(supported));
            return;
        }
        ChannelProtocol protocol = chosen.get();
        List<Integer> ports = List.of();
        if (streamRequest instanceof StreamRequest.PortForward forward) {
            Optional<List<Integer>> parsed = ports(forward, request);
            if (parsed.isEmpty()) {
                respond(
                        ctx,
                        HttpResponseStatus.BAD_REQUEST,
                        "query parameter \"" + PORT_PARAMETER + "\" is required and must list ports 1-65535");
                return;
            }
            ports = parsed.get();
        }

        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                        "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + request.uri(),
                        protocol == ChannelProtocol.LEGACY ? null : protocol.wireName(),
                        decoderConfig())
                .newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel())
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ChannelConnection connection;
        Runnable start;
        if (streamRequest instanceof StreamRequest.PortForward forward) {
            connection = new ChannelConnection(ctx.channel(), protocol, PortForwardSession.channels(ports.size()));
            start = new PortForwardSession(connection, forward, ports, backends)::start;
        } else {
            connection = new ChannelConnection(ctx.channel(), protocol, RemoteCommandSession.CHANNELS);
            start = new RemoteCommandSession(
                    connection, protocol, streamRequest, channels(streamRequest), backends, commands)::start;
        }
        try {
            // on the event loop, so no client frame can arrive before the pipeline below is in place
            var answered = handshaker.handshake(ctx.channel(), request);
            ctx.pipeline().addBefore(ctx.name(), "ws-aggregate", new WebSocketFrameAggregator(MAX_MESSAGE_BYTES));
            ctx.pipeline().replace(ctx.name(), "ws", connection);
            answered.addListener(done -> {
                if (done.isSuccess()) {
                    log.debug(
                            "streaming: {} over WebSocket {}",
                            streamRequest.kind(),
                            protocol == ChannelProtocol.LEGACY ? "(no sub-protocol)" : protocol.wireName());
                    start.run();
                } else {
                    ctx.channel().close();
                }
            });
        } catch (WebSocketHandshakeException e) {
            respond(ctx, HttpResponseStatus.BAD_REQUEST, "bad WebSocket handshake: " + e.getMessage());
        }
    }

    private static WebSocketDecoderConfig decoderConfig() {
        return WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(MAX_MESSAGE_BYTES)
                .build();
    }

    /** golang.org/x/net/websocket's reading: one comma-separated list, each name trimmed. */
    private static List<String> offered(FullHttpRequest request) {
        List<String> names = new ArrayList<>();
        for (String header : request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)) {
            Arrays.stream(header.split(","))
                    .map(String::trim)
                    .filter(name -> !name.isEmpty())
                    .forEach(names::add);
        }
        return names;
    }

    /**
     * The CRI request's ports; when it named none, kubelet's {@code port} query parameter (repeatable, each a
     * comma-separated list). Empty when neither names a valid port.
     */
    private static Optional<List<Integer>> ports(StreamRequest.PortForward forward, FullHttpRequest request) {
        if (!forward.ports().isEmpty()) {
            return Optional.of(forward.ports());
        }
        List<String> values =
                new QueryStringDecoder(request.uri()).parameters().getOrDefault(PORT_PARAMETER, List.of());
        List<Integer> ports = new ArrayList<>();
        for (String value : values) {
            for (String part : value.split(",", -1)) {
                try {
                    int port = Integer.parseInt(part.trim());
                    if (port < 1 || port > 65535) {
                        return Optional.empty();
                    }
                    ports.add(port);
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return ports.isEmpty() ? Optional.empty() : Optional.of(ports);
    }

    private static StreamRequest.Channels channels(StreamRequest request) {
        return switch (request) {
            case StreamRequest.Exec exec -> exec.channels();
            case StreamRequest.Attach attach -> attach.channels();
            case StreamRequest.PortForward forward -> throw new IllegalArgumentException("not a remote command");
        };
    }

    private static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String message) {
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(message + "\n", StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.headers()
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
