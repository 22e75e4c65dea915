package dev.berth.cli.grpc;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/** Reads frames off a blocking channel, through one buffer: a read takes what the kernel has, many frames at once. */
final class FrameReader {

    private final ReadableByteChannel channel;
    private final int maxFrameSize;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).flip();

    FrameReader(ReadableByteChannel channel, int maxFrameSize) {
        this.channel = channel;
        this.maxFrameSize = maxFrameSize;
    }

    Frame read() throws IOException, Http2Exception {
        fill(9);
        int length = ((buffer.get() & 0xff) << 16) | ((buffer.get() & 0xff) << 8) | (buffer.get() & 0xff);
        int type = buffer.get() & 0xff;
        int flags = buffer.get() & 0xff;
        int streamId = buffer.getInt() & 0x7fff_ffff;
        if (length > maxFrameSize) {
            throw new Http2Exception(Http2Exception.FRAME_SIZE_ERROR, "a frame of " + length + " bytes");
        }
        byte[] payload = new byte[length];
        readFully(payload);
        return new Frame(type, flags, streamId, payload);
    }

    /** Fills the array from the channel: a frame's payload, or a client's preface for the stand-in server. */
    void readFully(byte[] into) throws IOException {
        int done = 0;
        while (done < into.length) {
            if (!buffer.hasRemaining()) {
                fill(1);
            }
            int n = Math.min(buffer.remaining(), into.length - done);
            buffer.get(into, done, n);
            done += n;
        }
    }

    private void fill(int needed) throws IOException {
        if (buffer.remaining() >= needed) {
            return;
        }
        buffer.compact();
        while (buffer.position() < needed) {
            if (channel.read(buffer) < 0) {
                throw new EOFException("the peer closed the connection");
            }
        }
        buffer.flip();
    }
}
