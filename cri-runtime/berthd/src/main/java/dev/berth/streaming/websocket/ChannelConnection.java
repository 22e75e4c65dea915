package dev.berth.streaming.websocket;

import dev.berth.streaming.InboundBytes;
import dev.berth.streaming.OutboundBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upgraded connection carrying numbered channels in a {@link ChannelProtocol} framing. Messages from the
 * client go to the reader registered for their channel (or are dropped, as kubelet drops them); writers frame
 * what the session sends. Once the connection ends every reader sees end of stream and {@link #gone()}
 * completes, so the session's blocking work unwinds.
 */
final class ChannelConnection extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ChannelConnection.class);

    private final Channel channel;
    private final ChannelProtocol protocol;
    private final InboundBytes[] readers;
    private final CompletableFuture<Void> gone = new CompletableFuture<>();
    /** How many readers asked to stop reading the connection; touched on the event loop only. */
    private int paused;

    ChannelConnection(Channel channel, ChannelProtocol protocol, int channels) {
        this.channel = channel;
        this.protocol = protocol;
        this.readers = new InboundBytes[channels];
    }

    /** Registers the reader of {@code number}'s client messages; call before the handshake answers. */
    InboundBytes reader(int number, int highWater) {
        InboundBytes reader = new InboundBytes(
                () -> channel.eventLoop().execute(this::pause),
                () -> channel.eventLoop().execute(this::resume),
                highWater);
        readers[number] = reader;
        return reader;
    }

    OutboundBytes writer(int number) {
        return new OutboundBytes(channel, payload -> frame(number, payload), () -> {});
    }

    /** One message on {@code number}, however short (kubelet's empty "connected" message, a port's number). */
    void send(int number, byte[] payload) {
        channel.writeAndFlush(frame(number, Unpooled.wrappedBuffer(payload)));
    }

    /** Completes when the connection has ended, whoever ended it. */
    CompletableFuture<Void> gone() {
        return gone;
    }

    /** Ends the connection as kubelet does once the streams are done: a normal close frame, then the socket. */
    void finish() {
        channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private Object frame(int number, ByteBuf payload) {
        if (protocol.base64()) {
            try {
                String text = (char) ('0' + number) + Base64.getEncoder().encodeToString(ByteBufUtil.getBytes(payload));
                return new TextWebSocketFrame(text);
            } finally {
                payload.release();
            }
        }
        CompositeByteBuf framed = channel.alloc().compositeBuffer(2);
        framed.addComponents(true, channel.alloc().buffer(1).writeByte(number), payload);
        return new BinaryWebSocketFrame(framed);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            switch (msg) {
                case PingWebSocketFrame ping ->
                    ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
                case CloseWebSocketFrame close -> {
                    // the client is done: answer its close and end the connection, as a WebSocket peer must
                    ctx.writeAndFlush(new CloseWebSocketFrame(
                                    true, 0, close.content().retain()))
                            .addListener(ChannelFutureListener.CLOSE);
                }
                case TextWebSocketFrame text -> dispatch(text.content());
                case BinaryWebSocketFrame binary -> dispatch(binary.content());
                case PongWebSocketFrame pong -> {}
                default ->
                    log.debug(
                            "streaming connection {}: unexpected {} dropped",
                            channel.remoteAddress(),
                            msg.getClass().getSimpleName());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** kubelet's receive loop: the codec is the negotiated protocol's, whatever the frame's type. */
    private void dispatch(ByteBuf message) {
        if (!message.isReadable()) {
            return;
        }
        int number = message.readUnsignedByte();
        if (protocol.streamClose() && number == ChannelProtocol.STREAM_CLOSE) {
            halfClose(message);
            return;
        }
        if (protocol.base64()) {
            number -= '0';
        }
        if (number < 0 || number >= readers.length || readers[number] == null) {
            return;
        }
        if (protocol.base64()) {
            try {
                byte[] decoded = Base64.getDecoder().decode(message.toString(StandardCharsets.US_ASCII));
                readers[number].push(Unpooled.wrappedBuffer(decoded));
            } catch (IllegalArgumentException e) {
                log.debug(
                        "streaming connection {}: channel {} message is not base64, dropped",
                        channel.remoteAddress(),
                        number);
            }
            return;
        }
        readers[number].push(message.retainedSlice());
    }

    /** A malformed close signal is a protocol error on which kubelet stops reading the connection. */
    private void halfClose(ByteBuf message) {
        if (message.readableBytes() != 1) {
            log.info(
                    "streaming connection {}: close signal with {} bytes instead of one channel, connection closed",
                    channel.remoteAddress(),
                    message.readableBytes());
            channel.close();
            return;
        }
        int number = message.readUnsignedByte();
        if (number >= readers.length) {
            log.info(
                    "streaming connection {}: close signal for channel {} that does not exist, connection closed",
                    channel.remoteAddress(),
                    number);
            channel.close();
            return;
        }
        if (readers[number] != null) {
            readers[number].end();
        }
    }

    private void pause() {
        if (paused++ == 0) {
            channel.config().setAutoRead(false);
        }
    }

    private void resume() {
        if (--paused == 0) {
            channel.config().setAutoRead(true);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        for (InboundBytes reader : readers) {
            if (reader != null) {
                reader.end();
            }
        }
        gone.complete(null);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("streaming connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
