package dev.berth.streaming.spdy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

/** The session's frames as bytes on the wire, where Go's SPDY framer (moby/spdystream) is stricter than Netty's. */
class SpdySessionTest {

    private static final int SYN_REPLY = 2;

    @Test
    void synReplyCarriesAHeaderBlockForGoFramers() {
        EmbeddedChannel server = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1), acceptingSession());
        EmbeddedChannel client = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
        DefaultSpdySynStreamFrame syn = new DefaultSpdySynStreamFrame(1, 0, (byte) 0);
        syn.headers().set("streamtype", "error");
        client.writeOutbound(syn);

        server.writeInbound(drain(client.outboundMessages().size(), client::readOutbound));
        ByteBuf wire = drain(server.outboundMessages().size(), server::readOutbound);

        // control frame header: version/type, flags + 24-bit length; then the stream id and the header block
        assertThat(wire.getUnsignedShort(2)).isEqualTo(SYN_REPLY);
        int length = wire.getUnsignedMedium(5);
        int headerBlock = length - 4;
        // spdystream inflates every SYN_REPLY's block and reads a header count from it; none is an EOF error
        assertThat(headerBlock).isPositive();
        client.writeInbound(wire);
        SpdySynReplyFrame reply = client.readInbound();
        assertThat(reply.streamId()).isEqualTo(1);
        assertThat(reply.isInvalid()).isFalse();
        assertThat(reply.headers().get(":status")).isEqualTo("200");
        server.finishAndReleaseAll();
        client.finishAndReleaseAll();
    }

    private static SpdySession acceptingSession() {
        SpdySession session = new SpdySession();
        session.listener(new SpdySession.Listener() {
            @Override
            public boolean opened(SpdyStream stream) {
                return true;
            }

            @Override
            public void reset(SpdyStream stream) {}

            @Override
            public void goAway() {}

            @Override
            public void closed() {}
        });
        return session;
    }

    private interface Reader {
        Object read();
    }

    private static ByteBuf drain(int count, Reader reader) {
        ByteBuf all = Unpooled.buffer();
        for (int i = 0; i < count; i++) {
            Object part = reader.read();
            all.writeBytes((ByteBuf) part);
            ReferenceCountUtil.release(part);
        }
        return all;
    }
}
