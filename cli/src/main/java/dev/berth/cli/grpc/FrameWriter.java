package dev.berth.cli.grpc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Writes frames into a buffer that {@link #flush} hands to the channel in one write: a call's HEADERS, message
 * and END_STREAM go out in one system call. Not thread-safe: its connection writes under one lock.
 */
final class FrameWriter {

    static final byte[] PREFACE =
            "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final WritableByteChannel channel;
    private ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);

    FrameWriter(WritableByteChannel channel) {
        this.channel = channel;
    }

    void preface() {
        room(PREFACE.length);
        buffer.put(PREFACE);
    }

    void settings(int... idsAndValues) {
        header(idsAndValues.length * 3, Frame.SETTINGS, 0, 0);
        for (int i = 0; i < idsAndValues.length; i += 2) {
            buffer.putShort((short) idsAndValues[i]).putInt(idsAndValues[i + 1]);
        }
    }

    void settingsAck() {
        header(0, Frame.SETTINGS, Frame.ACK, 0);
    }

    void pingAck(byte[] opaque) {
        header(8, Frame.PING, Frame.ACK, 0);
        buffer.put(opaque);
    }

    void windowUpdate(int streamId, int increment) {
        header(4, Frame.WINDOW_UPDATE, 0, streamId);
        buffer.putInt(increment);
    }

    void rstStream(int streamId, int errorCode) {
        header(4, Frame.RST_STREAM, 0, streamId);
        buffer.putInt(errorCode);
    }

    void goAway(int lastStreamId, int errorCode) {
        header(8, Frame.GOAWAY, 0, 0);
        buffer.putInt(lastStreamId).putInt(errorCode);
    }

    /** A header block, in CONTINUATION frames after the first when it exceeds the peer's frame size. */
    void headers(int streamId, byte[] block, boolean endStream, int maxFrameSize) {
        int offset = 0;
        int type = Frame.HEADERS;
        do {
            int n = Math.min(maxFrameSize, block.length - offset);
            boolean last = offset + n == block.length;
            int flags = (last ? Frame.END_HEADERS : 0) | (endStream && type == Frame.HEADERS ? Frame.END_STREAM : 0);
            header(n, type, flags, streamId);
            buffer.put(block, offset, n);
            offset += n;
            type = Frame.CONTINUATION;
        } while (offset < block.length);
    }

    void data(int streamId, byte[] data, int offset, int length, boolean endStream) {
        header(length, Frame.DATA, endStream ? Frame.END_STREAM : 0, streamId);
        buffer.put(data, offset, length);
    }

    void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
        if (buffer.capacity() > 256 * 1024) {
            buffer = ByteBuffer.allocate(16 * 1024);
        }
    }

    private void header(int length, int type, int flags, int streamId) {
        room(9 + length);
        buffer.put((byte) (length >>> 16)).put((byte) (length >>> 8)).put((byte) length);
        buffer.put((byte) type).put((byte) flags).putInt(streamId);
    }

    private void room(int bytes) {
        if (buffer.remaining() < bytes) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + bytes));
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
        }
    }
}
