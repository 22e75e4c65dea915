package dev.berth.streaming.spdy;

import dev.berth.streaming.InboundBytes;
import dev.berth.streaming.OutboundBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdyHeaders;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client-initiated SPDY stream as the server sees it: what the client sends arrives in {@link #inbound()};
 * the server writes DATA frames and ends its side with a FIN ({@link #finish()}) or tears the stream down
 * ({@link #reset()}). Writes may come from any thread; Netty keeps each thread's writes in order.
 */
final class SpdyStream {

    /** Unread client bytes one stream buffers before the connection stops reading. */
    static final int INBOUND_HIGH_WATER = 1024 * 1024;

    private final SpdySession session;
    private final Channel channel;
    private final int id;
    private final SpdyHeaders headers;
    private final InboundBytes inbound;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final AtomicBoolean reset = new AtomicBoolean();
    /** Event loop only. */
    private boolean remoteClosed;

    SpdyStream(SpdySession session, Channel channel, ReadGate gate, int id, SpdyHeaders headers) {
        this.session = session;
        this.channel = channel;
        this.id = id;
        this.headers = headers;
        this.inbound = new InboundBytes(gate::pause, gate::resume, INBOUND_HIGH_WATER);
    }

    int id() {
        return id;
    }

    /**
     * A header of the SYN_STREAM. SPDY/3 carries names in lower case (spdystream lowers Go's canonical
     * {@code StreamType}); Netty's lookup ignores case anyway.
     */
    String header(String name) {
        String value = headers.getAsString(name);
        return value == null ? "" : value;
    }

    InboundBytes inbound() {
        return inbound;
    }

    /** A blocking writer whose close sends this stream's FIN. */
    OutboundBytes outbound() {
        return new OutboundBytes(channel, payload -> new DefaultSpdyDataFrame(id, payload), this::finish);
    }

    /** Writes {@code bytes} as one DATA frame without waiting (small messages: the error stream's). */
    void write(byte[] bytes) {
        if (bytes.length > 0 && !finished.get() && !reset.get()) {
            channel.writeAndFlush(new DefaultSpdyDataFrame(id, Unpooled.wrappedBuffer(bytes)));
        }
    }

    /** Ends the server's side of the stream with an empty DATA frame carrying FIN; once. */
    void finish() {
        if (!reset.get() && finished.compareAndSet(false, true)) {
            DefaultSpdyDataFrame fin = new DefaultSpdyDataFrame(id);
            fin.setLast(true);
            channel.writeAndFlush(fin);
            channel.eventLoop().execute(() -> session.forgetIfClosed(this));
        }
    }

    /** Tears the stream down both ways (RST_STREAM CANCEL, what spdystream's Reset sends). */
    void reset() {
        if (reset.compareAndSet(false, true)) {
            if (!finished.get()) {
                channel.writeAndFlush(new DefaultSpdyRstStreamFrame(id, SpdyStreamStatus.CANCEL));
            }
            inbound.close();
            channel.eventLoop().execute(() -> session.forget(this));
        }
    }

    /** The client reset the stream, or the connection is gone: nothing more can be sent or received. */
    void lost() {
        reset.set(true);
        inbound.end();
    }

    boolean isReset() {
        return reset.get();
    }

    /** Event loop: a DATA frame from the client (content retained by the caller). */
    void received(ByteBuf content, boolean last) {
        inbound.push(content);
        if (last) {
            remoteClosed = true;
            inbound.end();
        }
    }

    /** Event loop. */
    void remoteClose() {
        remoteClosed = true;
        inbound.end();
    }

    /** Event loop. */
    boolean closedBothWays() {
        return remoteClosed && finished.get();
    }

    boolean remoteClosed() {
        return remoteClosed;
    }
}
