package dev.berth.streaming.spdy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyVersion;

/**
 * Netty's SPDY/3.1 frame codec, with two changes for bulk data (port forwarding): a DATA frame goes out as
 * its 8-byte header plus the payload buffer itself (Netty's encoder copies every payload into a new buffer),
 * and DATA frames are decoded in chunks of up to {@link #MAX_CHUNK} bytes instead of Netty's 8 KiB, which cost
 * a frame object, a buffer and a reader wake-up per 8 KiB.
 */
public final class SpdyCodec extends SpdyFrameCodec {

    /** Larger chunks save little more and keep a half-received frame in the codec for longer. */
    static final int MAX_CHUNK = 64 * 1024;
    /** Below this a payload is copied after its header: one small buffer is cheaper than a composite. */
    private static final int COPY_BELOW = 1024;

    private static final int HEADER_BYTES = 8;
    private static final int FIN = 0x01;

    public SpdyCodec() {
        // Netty's defaults but for the chunk size: 16 KiB header blocks, zlib level 6, window 15, memory level 8
        super(SpdyVersion.SPDY_3_1, MAX_CHUNK, 16384, 6, 15, 8);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (!(msg instanceof SpdyDataFrame data) || data.content().readableBytes() < COPY_BELOW) {
            super.write(ctx, msg, promise);
            return;
        }
        try {
            ByteBuf payload = data.content();
            ByteBuf header = ctx.alloc().ioBuffer(HEADER_BYTES);
            header.writeInt(data.streamId() & 0x7FFFFFFF)
                    .writeByte(data.isLast() ? FIN : 0)
                    .writeMedium(payload.readableBytes());
            ctx.write(ctx.alloc().compositeDirectBuffer(2).addComponents(true, header, payload.retain()), promise);
        } finally {
            data.release();
        }
    }
}
