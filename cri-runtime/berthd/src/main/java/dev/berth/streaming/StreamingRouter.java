package dev.berth.streaming;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first request on a streaming connection: {@code /exec|attach|portforward/<token>}. The token is used
 * up whatever follows; an unknown, used or expired one gets 404 and nothing runs. A known one is handed to
 * the protocol its {@code Upgrade} header asks for.
 */
final class StreamingRouter extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(StreamingRouter.class);

    private final StreamTokens tokens;
    private final List<StreamingProtocol> protocols;

    StreamingRouter(StreamTokens tokens, List<StreamingProtocol> protocols) {
        this.tokens = tokens;
        this.protocols = protocols;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        List<String> segments = List.of(new QueryStringDecoder(request.uri())
                .path()
                .replaceFirst("^/", "")
                .split("/"));
        if (segments.size() != 2 || !List.of("exec", "attach", "portforward").contains(segments.get(0))) {
            respond(ctx, HttpResponseStatus.NOT_FOUND, "not found");
            return;
        }
        Optional<StreamRequest> found = tokens.consume(segments.get(1));
        if (found.isEmpty() || !found.get().kind().equals(segments.get(0))) {
            log.info("streaming: {} with an unknown, used or expired token refused", segments.get(0));
            respond(ctx, HttpResponseStatus.NOT_FOUND, "unknown, used or expired streaming token");
            return;
        }
        for (StreamingProtocol protocol : protocols) {
            if (protocol.accepts(request)) {
                protocol.upgrade(ctx, request, found.get());
                return;
            }
        }
        respond(
                ctx,
                HttpResponseStatus.BAD_REQUEST,
                "the request must upgrade the connection to SPDY/3.1 or WebSocket");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("streaming connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String message) {
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(message + "\n", StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.headers()
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
