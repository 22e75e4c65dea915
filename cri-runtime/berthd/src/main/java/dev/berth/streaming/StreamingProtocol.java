package dev.berth.streaming;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/** One way of carrying streams over an upgraded HTTP/1.1 connection: SPDY/3.1 or WebSocket. */
public interface StreamingProtocol {

    /** Whether this protocol takes {@code request}, judged by its {@code Upgrade} header. */
    boolean accepts(FullHttpRequest request);

    /**
     * Answers the upgrade (101, or an HTTP error when no sub-protocol fits) and replaces the pipeline's HTTP
     * handlers with the protocol's own, which then serve {@code streamRequest} until the connection ends.
     */
    void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, StreamRequest streamRequest);
}
