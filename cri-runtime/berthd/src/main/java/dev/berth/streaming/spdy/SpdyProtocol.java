package dev.berth.streaming.spdy;

import dev.berth.streaming.StreamBackends;
import dev.berth.streaming.StreamRequest;
import dev.berth.streaming.StreamingProtocol;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SPDY/3.1 over an HTTP/1.1 upgrade, the protocol kubelet always speaks to a runtime's streaming server
 * (apimachinery's spdy.responseUpgrader): {@code Upgrade: SPDY/3.1} and {@code Connection: Upgrade} in, the
 * version handshake, {@code 101 Switching Protocols} out, then SPDY frames on the same connection.
 */
public final class SpdyProtocol implements StreamingProtocol {

    private static final Logger log = LoggerFactory.getLogger(SpdyProtocol.class);
    static final String SPDY_3_1 = "SPDY/3.1";

    private final StreamBackends backends;

    public SpdyProtocol(StreamBackends backends) {
        this.backends = backends;
    }

    @Override
    public boolean accepts(FullHttpRequest request) {
        return headerContains(request, HttpHeaderNames.UPGRADE.toString(), SPDY_3_1);
    }

    @Override
    public void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, StreamRequest streamRequest) {
        List<String> supported = streamRequest instanceof StreamRequest.PortForward
                ? ProtocolVersions.PORT_FORWARDING
                : ProtocolVersions.REMOTE_COMMAND;
        List<String> offered = ProtocolVersions.offered(request.headers());
        Optional<String> chosen = ProtocolVersions.choose(offered, supported);
        if (chosen.isEmpty()) {
            log.info("streaming: {} refused: no common protocol version", streamRequest.kind());
            FullHttpResponse refused = text(HttpResponseStatus.FORBIDDEN, ProtocolVersions.refusal(offered, supported));
            supported.forEach(version -> refused.headers().add(ProtocolVersions.ACCEPTED_HEADER, version));
            ctx.writeAndFlush(refused).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (!headerContains(request, HttpHeaderNames.CONNECTION.toString(), "upgrade")) {
            ctx.writeAndFlush(text(
                            HttpResponseStatus.BAD_REQUEST, "unable to upgrade: missing upgrade headers in request"))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        FullHttpResponse switching =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
        switching
                .headers()
                .add(HttpHeaderNames.CONNECTION, HttpHeaderNames.UPGRADE)
                .add(HttpHeaderNames.UPGRADE, SPDY_3_1)
                .add(ProtocolVersions.HEADER, chosen.get());
        // the HTTP encoder turns the response into bytes within this call, before it leaves the pipeline
        ctx.writeAndFlush(switching);

        SpdySession session = new SpdySession();
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.addLast("spdy", new SpdyCodec());
        pipeline.addLast("spdy-session", session);
        session.listener(
                switch (streamRequest) {
                    case StreamRequest.PortForward forward ->
                        new PortForwardSession(backends, forward, ctx.channel().eventLoop());
                    default ->
                        new RemoteCommandSession(
                                session,
                                backends,
                                streamRequest,
                                chosen.get(),
                                ctx.channel().eventLoop());
                });
        log.info("streaming: {} upgraded to SPDY/3.1 ({})", streamRequest.kind(), chosen.get());
        // Removing the HTTP decoder hands whatever it buffered past the request (a client that did not wait
        // for the 101) to the next handler, which is now the SPDY codec.
        pipeline.remove("router");
        pipeline.remove("http-aggregate");
        pipeline.remove(HttpServerCodec.class);
    }

    private static boolean headerContains(FullHttpRequest request, String name, String token) {
        String wanted = token.toLowerCase(Locale.ROOT);
        return request.headers().getAll(name).stream()
                .anyMatch(value -> value.toLowerCase(Locale.ROOT).contains(wanted));
    }

    /** An error as Go's http.Error writes it. */
    private static FullHttpResponse text(HttpResponseStatus status, String message) {
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(message + "\n", StandardCharsets.UTF_8));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .set("X-Content-Type-Options", "nosniff")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        return response;
    }
}
