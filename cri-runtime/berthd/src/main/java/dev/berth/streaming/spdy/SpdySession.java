package dev.berth.streaming.spdy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.spdy.DefaultSpdyGoAwayFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.DefaultSpdyWindowUpdateFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyHeaders;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySessionStatus;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of a SPDY/3.1 session as Kubernetes' clients speak it, in place of Netty's
 * SpdySessionHandler.
 *
 * <p>Why not SpdySessionHandler: Kubernetes' SPDY peer is moby/spdystream (client-go, kubectl, the API
 * server's proxies), which implements no flow control at all. It never sends WINDOW_UPDATE (neither per stream
 * nor for the 3.1 session window), never sends SETTINGS, and ignores both when it receives them (its frame
 * handler logs "unhandled frame type"); each Write becomes one DATA frame of whatever size the caller wrote.
 * SpdySessionHandler enforces the 64 KiB initial send windows, so after 64 KiB to a spdystream client it would
 * queue every further byte forever; and it answers a single DATA frame larger than its receive window with
 * RST_STREAM FLOW_CONTROL_ERROR (or a session error for the session window), which a translating proxy that
 * writes a big WebSocket message as one frame triggers. So this session, like spdystream, ignores send windows
 * and lets TCP hold back a slow client ({@link dev.berth.streaming.OutboundBytes} waits for writability), and
 * holds back a fast one by not reading ({@link ReadGate}). For peers that do honour SPDY/3.1 flow control it
 * still returns WINDOW_UPDATEs for what it receives, which spdystream harmlessly ignores.
 *
 * <p>Stream rules are spdystream's: the server replies SYN_REPLY (empty headers) to each SYN_STREAM it takes
 * and RST_STREAM CANCEL to one it refuses; PINGs from the client (odd ids) are echoed; GOAWAY is sent last,
 * since spdystream stops reading the connection as soon as one arrives.
 */
final class SpdySession extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(SpdySession.class);
    /** Returned in WINDOW_UPDATEs once this much arrived: half of SPDY's default 64 KiB window, as Netty does. */
    private static final int WINDOW_UPDATE_THRESHOLD = 32 * 1024;
    /** How long a closing connection waits for the client to close its side before it is cut. */
    private static final long CLOSE_GRACE_SECONDS = 5;

    /** What a protocol (remote command, port forward) does with the session's streams. Event loop. */
    interface Listener {
        /** A new stream from the client; false refuses it (RST_STREAM). Must not write to it synchronously. */
        boolean opened(SpdyStream stream);

        /** The client reset {@code stream}. */
        void reset(SpdyStream stream);

        /** The client will open no more streams (GOAWAY). */
        void goAway();

        /** The connection is gone. */
        void closed();
    }

    private final Map<Integer, SpdyStream> streams = new HashMap<>();
    private final Map<Integer, Integer> unacknowledged = new HashMap<>();
    private Channel channel;
    private ReadGate gate;
    private Listener listener;
    private int lastStreamId;
    private int sessionUnacknowledged;
    private boolean closing;

    void listener(Listener listener) {
        this.listener = listener;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        gate = new ReadGate(channel);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            switch (msg) {
                case SpdySynStreamFrame syn -> open(syn);
                case SpdyDataFrame data -> data(data);
                case SpdyRstStreamFrame rst -> {
                    SpdyStream stream = streams.remove(rst.streamId());
                    unacknowledged.remove(rst.streamId());
                    if (stream != null) {
                        stream.lost();
                        listener.reset(stream);
                    }
                }
                case SpdyPingFrame ping -> {
                    if ((ping.id() & 1) == 1) {
                        ctx.writeAndFlush(ReferenceCountUtil.retain(ping));
                    }
                }
                case SpdyGoAwayFrame ignored -> listener.goAway();
                // SETTINGS, WINDOW_UPDATE, HEADERS: nothing spdystream sends that the streams need
                default -> log.trace("spdy: ignoring {}", msg);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void open(SpdySynStreamFrame syn) {
        int id = syn.streamId();
        if ((id & 1) == 0 || id <= lastStreamId || syn.isInvalid()) {
            channel.writeAndFlush(new DefaultSpdyRstStreamFrame(id, SpdyStreamStatus.PROTOCOL_ERROR));
            return;
        }
        lastStreamId = id;
        SpdyStream stream = new SpdyStream(this, channel, gate, id, syn.headers());
        if (closing || !listener.opened(stream)) {
            channel.writeAndFlush(new DefaultSpdyRstStreamFrame(id, SpdyStreamStatus.CANCEL));
            stream.lost();
            return;
        }
        streams.put(id, stream);
        channel.writeAndFlush(reply(id));
        if (syn.isLast()) {
            stream.remoteClose();
        }
    }

    /**
     * spdystream's server replies with no headers, but its framer still writes a compressed block holding a
     * header count of 0, and its reader insists on one: a SYN_REPLY without a block ends the client's read loop
     * ("frame read error: unexpected EOF"), and every stream then times out. Netty's encoder writes nothing for
     * an empty header set, so the reply carries SPDY/3's {@code :status} and {@code :version} response headers,
     * which spdystream and client-go ignore.
     */
    private static SpdySynReplyFrame reply(int streamId) {
        SpdySynReplyFrame reply = new DefaultSpdySynReplyFrame(streamId);
        reply.headers().set(SpdyHeaders.HttpNames.STATUS, "200").set(SpdyHeaders.HttpNames.VERSION, "HTTP/1.1");
        return reply;
    }

    private void data(SpdyDataFrame data) {
        int size = data.content().readableBytes();
        SpdyStream stream = streams.get(data.streamId());
        if (stream == null || stream.remoteClosed()) {
            return;
        }
        stream.received(data.content().retain(), data.isLast());
        acknowledge(data.streamId(), size, data.isLast());
        forgetIfClosed(stream);
    }

    private void acknowledge(int streamId, int size, boolean last) {
        sessionUnacknowledged += size;
        if (sessionUnacknowledged >= WINDOW_UPDATE_THRESHOLD) {
            channel.write(new DefaultSpdyWindowUpdateFrame(0, sessionUnacknowledged));
            sessionUnacknowledged = 0;
        }
        if (last) {
            unacknowledged.remove(streamId);
        } else {
            int pending = unacknowledged.merge(streamId, size, Integer::sum);
            if (pending >= WINDOW_UPDATE_THRESHOLD) {
                channel.write(new DefaultSpdyWindowUpdateFrame(streamId, pending));
                unacknowledged.put(streamId, 0);
            }
        }
        channel.flush();
    }

    /** Event loop. */
    void forgetIfClosed(SpdyStream stream) {
        if (stream.closedBothWays()) {
            forget(stream);
        }
    }

    /** Event loop. */
    void forget(SpdyStream stream) {
        streams.remove(stream.id(), stream);
        unacknowledged.remove(stream.id());
    }

    /**
     * Ends the session after what was written so far: GOAWAY, then the server's half of the TCP connection,
     * then the whole connection once the client closes its half (or after a grace period). Closing outright
     * with client bytes unread would make the kernel answer with a TCP reset, which can destroy output the
     * client has not read yet. Any thread.
     */
    void close() {
        channel.eventLoop().execute(() -> {
            if (closing || !channel.isActive()) {
                return;
            }
            closing = true;
            channel.writeAndFlush(new DefaultSpdyGoAwayFrame(lastStreamId, SpdySessionStatus.OK))
                    .addListener((ChannelFutureListener) written -> {
                        SslHandler tls = channel.pipeline().get(SslHandler.class);
                        if (tls != null) {
                            tls.closeOutbound();
                        } else if (channel instanceof DuplexChannel duplex) {
                            duplex.shutdownOutput();
                        } else {
                            channel.close();
                        }
                    });
            channel.config().setAutoRead(true);
            channel.read();
            channel.eventLoop().schedule(() -> channel.close(), CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
        });
    }

    /** Cuts the connection now (the client broke the protocol or the streams never came). Any thread. */
    void abort() {
        channel.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        List<SpdyStream> open = new ArrayList<>(streams.values());
        streams.clear();
        unacknowledged.clear();
        open.forEach(SpdyStream::lost);
        listener.closed();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("spdy connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
