package dev.berth.streaming;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * A blocking writer onto one channel of a client's connection. Each write becomes frames of at most
 * {@link #MAX_FRAME} bytes; while the connection's outbound buffer is full the writer waits for its
 * frames to be flushed, so a slow client holds back the process instead of filling the heap. Once the
 * connection is gone, writes fail with an IOException.
 */
public final class OutboundBytes extends OutputStream {

    public static final int MAX_FRAME = 32 * 1024;

    private final Channel channel;
    private final Function<ByteBuf, Object> frame;
    private final Runnable onClose;
    private boolean closed;

    /**
     * @param frame   wraps a payload into the protocol's frame for this channel
     * @param onClose sends the protocol's end-of-channel signal, if it has one (SPDY's FIN); runs once
     */
    public OutboundBytes(Channel channel, Function<ByteBuf, Object> frame, Runnable onClose) {
        this.channel = channel;
        this.frame = frame;
        this.onClose = onClose;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        while (length > 0) {
            if (!channel.isActive()) {
                throw new IOException("the client has gone away");
            }
            int n = Math.min(length, MAX_FRAME);
            ByteBuf payload = channel.alloc().buffer(n);
            payload.writeBytes(bytes, offset, n);
            ChannelFuture written = channel.writeAndFlush(frame.apply(payload));
            if (!channel.isWritable()) {
                await(written);
            }
            offset += n;
            length -= n;
        }
    }

    private static void await(ChannelFuture written) throws IOException {
        try {
            written.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing to the client");
        } catch (ExecutionException e) {
            throw new IOException("the client has gone away", e.getCause());
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            if (channel.isActive()) {
                onClose.run();
            }
        }
    }
}
