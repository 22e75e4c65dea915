package dev.berth.cli.build;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The context tar cut into chunks of {@code chunkBytes} as it is written, each handed to {@code sink} once
 * full (the sink blocks while the call is not ready for more), so a context of any size needs one chunk of
 * memory.
 */
final class ChunkedUpload extends OutputStream {

    /** Takes one chunk; blocks until the peer can take it. */
    interface Sink {
        void send(ByteString chunk) throws IOException;
    }

    private final Sink sink;
    private final byte[] buffer;
    private int filled;

    ChunkedUpload(Sink sink, int chunkBytes) {
        this.sink = sink;
        this.buffer = new byte[chunkBytes];
    }

    @Override
    public void write(int b) throws IOException {
        buffer[filled++] = (byte) b;
        if (filled == buffer.length) {
            sendFilled();
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            int n = Math.min(length, buffer.length - filled);
            System.arraycopy(bytes, offset, buffer, filled, n);
            filled += n;
            offset += n;
            length -= n;
            if (filled == buffer.length) {
                sendFilled();
            }
        }
    }

    /** Sends what is buffered, the last, short chunk; nothing when the buffer is empty. */
    @Override
    public void close() throws IOException {
        if (filled > 0) {
            sendFilled();
        }
    }

    private void sendFilled() throws IOException {
        sink.send(ByteString.copyFrom(buffer, 0, filled));
        filled = 0;
    }
}
