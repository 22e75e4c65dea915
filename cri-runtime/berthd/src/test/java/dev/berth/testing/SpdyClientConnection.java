package dev.berth.testing;

import dev.berth.streaming.InboundBytes;
import dev.berth.streaming.OutboundBytes;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyGoAwayFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySessionStatus;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A SPDY/3.1 client session that behaves like moby/spdystream under client-go: odd stream IDs from 1, a
 * SYN_STREAM per stream (header names in lower case, priority 0) answered by SYN_REPLY before it is used, one
 * DATA frame per write, an empty DATA frame with FIN to half-close, RST_STREAM CANCEL to reset; no flow control
 * (it never sends WINDOW_UPDATE or SETTINGS, and ignores them); it echoes the server's PINGs; a GOAWAY from the
 * server ends every stream for reading, as spdystream stops reading the connection then.
 */
public final class SpdyClientConnection implements AutoCloseable {

    /** client-go waits this long for each SYN_REPLY (createStreamResponseTimeout). */
    static final long REPLY_TIMEOUT_SECONDS = 30;

    private final Channel channel;
    private final String protocol;
    private final Map<Integer, ClientStream> streams = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> goneAway = new CompletableFuture<>();
    private int nextId = 1;
    private int paused;

    SpdyClientConnection(Channel channel, String protocol) {
        this.channel = channel;
        this.protocol = protocol;
    }

    /** The {@code X-Stream-Protocol-Version} the server chose (empty when it named none). */
    public String protocol() {
        return protocol;
    }

    /** Opens a stream and waits for its SYN_REPLY, as client-go's CreateStream does. */
    public ClientStream createStream(Map<String, String> headers) throws IOException {
        ClientStream stream;
        synchronized (this) {
            stream = new ClientStream(nextId);
            nextId += 2;
            streams.put(stream.id, stream);
            DefaultSpdySynStreamFrame syn = new DefaultSpdySynStreamFrame(stream.id, 0, (byte) 0);
            headers.forEach((name, value) -> syn.headers().set(name.toLowerCase(Locale.ROOT), value));
            channel.writeAndFlush(syn);
        }
        try {
            stream.replied.get(REPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for the stream's reply", e);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("Timeout occurred waiting for the reply to stream " + stream.id);
        }
        return stream;
    }

    /** Completes when the server sent GOAWAY. */
    public CompletableFuture<Void> goneAway() {
        return goneAway;
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    /** Completes when the TCP connection is closed (by either side). */
    public CompletableFuture<Void> closed() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        channel.closeFuture().addListener(f -> closed.complete(null));
        return closed;
    }

    /** client-go's Close: resets every stream, sends GOAWAY, then closes the connection. */
    @Override
    public void close() {
        if (!channel.isActive()) {
            return;
        }
        streams.values().forEach(ClientStream::reset);
        channel.writeAndFlush(new DefaultSpdyGoAwayFrame(0, SpdySessionStatus.OK))
                .addListener(f -> channel.close());
        channel.closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** A client that dies: the TCP connection goes without a word of SPDY. */
    public void kill() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private void pause() {
        channel.eventLoop().execute(() -> {
            paused++;
            channel.config().setAutoRead(paused <= 0);
        });
    }

    private void resume() {
        channel.eventLoop().execute(() -> {
            paused--;
            if (paused <= 0 && !channel.config().isAutoRead()) {
                channel.config().setAutoRead(true);
                channel.read();
            }
        });
    }

    /** One stream: what the server sends on it, and a writer for what the client sends. */
    public final class ClientStream {
        private final int id;
        private final CompletableFuture<Void> replied = new CompletableFuture<>();
        private final InboundBytes input =
                new InboundBytes(SpdyClientConnection.this::pause, SpdyClientConnection.this::resume, 1024 * 1024);
        private final OutboundBytes output;
        private volatile boolean reset;

        private ClientStream(int id) {
            this.id = id;
            this.output = new OutboundBytes(channel, payload -> new DefaultSpdyDataFrame(id, payload), this::fin);
        }

        public int id() {
            return id;
        }

        /** Ends at the server's FIN or RST_STREAM, or when the session goes. */
        public InputStream input() {
            return input;
        }

        /** Closing it half-closes the stream (an empty DATA frame with FIN), as spdystream's Close does. */
        public OutputStream output() {
            return output;
        }

        public void halfClose() {
            output.close();
        }

        public void reset() {
            if (!reset) {
                reset = true;
                channel.writeAndFlush(new DefaultSpdyRstStreamFrame(id, SpdyStreamStatus.CANCEL));
                input.end();
            }
        }

        public boolean wasReset() {
            return reset;
        }

        private void fin() {
            if (!reset) {
                DefaultSpdyDataFrame fin = new DefaultSpdyDataFrame(id);
                fin.setLast(true);
                channel.writeAndFlush(fin);
            }
        }
    }

    /** The frames from the server. */
    final class Frames extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                switch (msg) {
                    case SpdySynReplyFrame reply -> {
                        ClientStream stream = streams.get(reply.streamId());
                        if (stream != null) {
                            stream.replied.complete(null);
                        }
                    }
                    case SpdyDataFrame data -> {
                        ClientStream stream = streams.get(data.streamId());
                        if (stream != null && !goneAway.isDone()) {
                            stream.input.push(data.content().retain());
                            if (data.isLast()) {
                                stream.input.end();
                            }
                        }
                    }
                    case SpdyRstStreamFrame rst -> {
                        ClientStream stream = streams.remove(rst.streamId());
                        if (stream != null) {
                            stream.reset = true;
                            stream.input.end();
                            stream.replied.completeExceptionally(new IOException("stream reset"));
                        }
                    }
                    case SpdyPingFrame ping -> {
                        if ((ping.id() & 1) == 0) {
                            ctx.writeAndFlush(ping);
                        }
                    }
                    case SpdyGoAwayFrame ignored -> {
                        goneAway.complete(null);
                        endAll();
                    }
                    default -> {
                        // SETTINGS, WINDOW_UPDATE: spdystream ignores them
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            endAll();
            goneAway.complete(null);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        private void endAll() {
            for (ClientStream stream : List.copyOf(streams.values())) {
                stream.input.end();
                stream.replied.completeExceptionally(new IOException("connection closed"));
            }
        }
    }
}
