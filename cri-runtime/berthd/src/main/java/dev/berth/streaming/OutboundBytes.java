package dev.berth.streaming;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.channels.ScatteringByteChannel;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * A blocking writer onto one channel of a client's connection. Each write becomes frames of at most
 * {@link #MAX_FRAME} bytes ({@link #transferFrom}: of what one read brings, up to its limit); while the
 * connection's outbound buffer is full the writer waits until its frame before the last one is flushed, so a
 * slow client holds back the process instead of filling the heap, and a fast one always has a frame on its way
 * while the next is read. Once the connection is gone, writes fail with an IOException.
 */
public final class OutboundBytes extends OutputStream {

    public static final int MAX_FRAME = 32 * 1024;

    private final Channel channel;
    private final Function<ByteBuf, Object> frame;
    private final Runnable onClose;
    private boolean closed;
    /** The frame written before the last one: what a full outbound buffer waits for. */
    private ChannelFuture previous;

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
            send(payload);
            offset += n;
            length -= n;
        }
    }

    /**
     * One read of at most {@code limit} bytes from {@code source} straight into a pooled (direct) buffer,
     * which becomes one frame without being copied; -1 at the end of {@code source}.
     */
    public synchronized int transferFrom(ScatteringByteChannel source, int limit) throws IOException {
        if (closed) {
            throw new ClientGoneException("stream closed", null);
        }
        ByteBuf payload = channel.alloc().ioBuffer(limit);
        int n;
        try {
            n = payload.writeBytes(source, limit);
        } catch (IOException | RuntimeException e) {
            payload.release();
            throw e;
        }
        if (n <= 0) {
            payload.release();
            return n;
        }
        if (!channel.isActive()) {
            payload.release();
            throw new ClientGoneException("the client has gone away", null);
        }
        try {
            send(payload);
        } catch (IOException e) {
            throw new ClientGoneException(e.getMessage(), e);
        }
        return n;
    }

    /** From {@link #transferFrom}: the client side failed, not the source. */
    public static final class ClientGoneException extends IOException {
        ClientGoneException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private void send(ByteBuf payload) throws IOException {
        ChannelFuture written = channel.writeAndFlush(frame.apply(payload));
        ChannelFuture before = previous;
        previous = written;
        if (!channel.isWritable()) {
            await(before != null ? before : written);
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
