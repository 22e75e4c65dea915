package dev.berth.cli.grpc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The sending half of HTTP/2 flow control (RFC 9113 5.2, 6.9): DATA never exceeds the peer's frame size nor the
 * stream's or the connection's window; what does not fit waits in its stream's queue until a WINDOW_UPDATE or a
 * larger SETTINGS_INITIAL_WINDOW_SIZE lets it go. Used under its connection's lock.
 */
final class OutboundFlow {

    private static final long MAX_WINDOW = Integer.MAX_VALUE;
    private static final byte[] NO_BYTES = {};

    /** One stream's state on the connection; its fields belong to the connection's lock. */
    static final class Stream {
        final int id;
        final StreamHandler handler;
        private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
        private long window;
        private int headOffset;
        private long queued;
        private boolean endQueued;
        boolean endSent;
        boolean closed;
        private boolean wantsWritable;
        /** Bytes the call consumed that no WINDOW_UPDATE has given back yet. */
        int unacked;

        private Stream(int id, StreamHandler handler, long window) {
            this.id = id;
            this.handler = handler;
            this.window = window;
        }
    }

    private final FrameWriter writer;
    private long connectionWindow = Frame.DEFAULT_WINDOW;
    private long initialWindow = Frame.DEFAULT_WINDOW;
    private int maxFrameSize = Frame.DEFAULT_MAX_FRAME_SIZE;

    OutboundFlow(FrameWriter writer) {
        this.writer = writer;
    }

    Stream stream(int id, StreamHandler handler) {
        return new Stream(id, handler, initialWindow);
    }

    int maxFrameSize() {
        return maxFrameSize;
    }

    void enqueue(Stream stream, byte[] data, boolean endStream) {
        if (data.length > 0) {
            stream.queue.add(data);
            stream.queued += data.length;
        }
        stream.endQueued |= endStream;
    }

    boolean isReady(Stream stream) {
        if (stream.closed) {
            return false;
        }
        if (stream.queued < Http2Connection.READY_BYTES) {
            return true;
        }
        stream.wantsWritable = true;
        return false;
    }

    /**
     * Writes what the windows allow of the stream's queue (into the writer's buffer); true when the stream was
     * not ready before and is now.
     */
    boolean flush(Stream stream) {
        while (!stream.closed && !stream.endSent) {
            byte[] head = stream.queue.peek();
            if (head == null) {
                if (stream.endQueued) {
                    writer.data(stream.id, NO_BYTES, 0, 0, true);
                    stream.endSent = true;
                }
                break;
            }
            int remaining = head.length - stream.headOffset;
            int n = (int) Math.min(Math.min(remaining, maxFrameSize), Math.min(stream.window, connectionWindow));
            if (n <= 0) {
                break;
            }
            boolean last = n == remaining && stream.queue.size() == 1 && stream.endQueued;
            writer.data(stream.id, head, stream.headOffset, n, last);
            stream.window -= n;
            connectionWindow -= n;
            stream.queued -= n;
            stream.headOffset += n;
            if (stream.headOffset == head.length) {
                stream.queue.poll();
                stream.headOffset = 0;
            }
            stream.endSent = last;
        }
        if (stream.queued >= Http2Connection.READY_BYTES) {
            stream.wantsWritable = true;
            return false;
        }
        boolean becameWritable = stream.wantsWritable && !stream.closed;
        stream.wantsWritable = false;
        return becameWritable;
    }

    /** Flushes every stream with something queued; the streams that became writable. */
    List<Stream> flushAll(Collection<Stream> streams) {
        List<Stream> writable = new ArrayList<>();
        for (Stream stream : streams) {
            if ((stream.queued > 0 || stream.endQueued) && flush(stream)) {
                writable.add(stream);
            }
        }
        return writable;
    }

    void openConnectionWindow(int increment) throws Http2Exception {
        connectionWindow = grow(connectionWindow, increment);
    }

    void openStreamWindow(Stream stream, int increment) throws Http2Exception {
        stream.window = grow(stream.window, increment);
    }

    private static long grow(long window, int increment) throws Http2Exception {
        if (increment <= 0) {
            throw new Http2Exception(Http2Exception.PROTOCOL_ERROR, "a WINDOW_UPDATE of " + increment);
        }
        long grown = window + increment;
        if (grown > MAX_WINDOW) {
            throw new Http2Exception(Http2Exception.FLOW_CONTROL_ERROR, "a window over 2^31-1");
        }
        return grown;
    }

    /** The peer's SETTINGS: its window per stream (applied to open streams as a delta), its frame size. */
    void applySettings(Frame frame, Collection<Stream> streams) throws Http2Exception {
        byte[] p = frame.payload();
        if (p.length % 6 != 0) {
            throw new Http2Exception(Http2Exception.FRAME_SIZE_ERROR, "a SETTINGS frame of " + p.length + " bytes");
        }
        for (int i = 0; i < p.length; i += 6) {
            int id = ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
            long value = frame.int32(i + 2) & 0xffff_ffffL;
            if (id == Frame.SETTINGS_INITIAL_WINDOW_SIZE) {
                if (value > MAX_WINDOW) {
                    throw new Http2Exception(Http2Exception.FLOW_CONTROL_ERROR, "an initial window over 2^31-1");
                }
                long delta = value - initialWindow;
                initialWindow = value;
                for (Stream stream : streams) {
                    stream.window += delta;
                    if (stream.window > MAX_WINDOW) {
                        throw new Http2Exception(Http2Exception.FLOW_CONTROL_ERROR, "a window over 2^31-1");
                    }
                }
            } else if (id == Frame.SETTINGS_MAX_FRAME_SIZE) {
                if (value < Frame.DEFAULT_MAX_FRAME_SIZE || value > 16_777_215) {
                    throw new Http2Exception(Http2Exception.PROTOCOL_ERROR, "a max frame size of " + value);
                }
                maxFrameSize = (int) value;
            }
            // HEADER_TABLE_SIZE bounds the peer's decoder table, which our encoder never fills; the others do
            // not concern a client that neither accepts pushes nor limits its own streams
        }
    }
}
