package dev.berth.cli.grpc;

import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * The reader thread's side of an {@link Http2Connection}: takes each frame apart (padding, priority, header
 * blocks split over CONTINUATION) and hands it to the connection or the stream it is for. Frames of unknown
 * types are ignored, as RFC 9113 5.5 asks.
 */
final class FrameDispatcher {

    private static final int RST_REFUSED_STREAM = 0x7;
    private static final int RST_CANCEL = 0x8;
    private static final int RST_ENHANCE_YOUR_CALM = 0xb;
    private static final int RST_INADEQUATE_SECURITY = 0xc;

    private final Http2Connection connection;
    /** A header block awaiting its CONTINUATION frames, else null. */
    private ByteArrayOutputStream block;

    private int blockStreamId;
    private boolean blockEndsStream;

    FrameDispatcher(Http2Connection connection) {
        this.connection = connection;
    }

    void dispatch(Frame frame) throws Http2Exception {
        if (block != null && (frame.type() != Frame.CONTINUATION || frame.streamId() != blockStreamId)) {
            throw protocol("a header block interrupted by a frame of type " + frame.type());
        }
        switch (frame.type()) {
            case Frame.DATA -> data(frame);
            case Frame.HEADERS -> headers(frame);
            case Frame.CONTINUATION -> continuation(frame);
            case Frame.RST_STREAM -> rstStream(frame);
            case Frame.SETTINGS -> {
                if (frame.streamId() != 0) {
                    throw protocol("SETTINGS on a stream");
                }
                if (!frame.has(Frame.ACK)) {
                    connection.settings(frame);
                }
            }
            case Frame.PING -> {
                if (frame.payload().length != 8) {
                    throw new Http2Exception(Http2Exception.FRAME_SIZE_ERROR, "a PING of " + frame.payload().length);
                }
                if (!frame.has(Frame.ACK)) {
                    connection.ping(frame.payload());
                }
            }
            case Frame.GOAWAY -> connection.goAway(frame.int32(0) & 0x7fff_ffff, frame.int32(4));
            case Frame.WINDOW_UPDATE -> connection.windowUpdate(frame.streamId(), frame.int32(0) & 0x7fff_ffff);
            case Frame.PUSH_PROMISE -> throw protocol("PUSH_PROMISE, though SETTINGS_ENABLE_PUSH is 0");
            default -> {
                // PRIORITY and unknown types: nothing for a client to do
            }
        }
    }

    private void data(Frame frame) throws Http2Exception {
        byte[] p = frame.payload();
        int padding = padding(frame);
        int offset = frame.has(Frame.PADDED) ? 1 : 0;
        OutboundFlow.Stream stream = connection.stream(frame.streamId());
        connection.received(stream, p.length, offset + padding);
        if (stream == null) {
            return;
        }
        boolean end = frame.has(Frame.END_STREAM);
        if (end) {
            connection.remoteEnded(stream);
        }
        stream.handler.onData(p, offset, p.length - offset - padding, end);
    }

    private void headers(Frame frame) throws Http2Exception {
        int offset = frame.has(Frame.PADDED) ? 1 : 0;
        int padding = padding(frame);
        if (frame.has(Frame.PRIORITY_FLAG)) {
            offset += 5;
        }
        if (offset + padding > frame.payload().length) {
            throw protocol("HEADERS shorter than its padding and priority");
        }
        byte[] fragment = Arrays.copyOfRange(frame.payload(), offset, frame.payload().length - padding);
        if (frame.has(Frame.END_HEADERS)) {
            deliver(frame.streamId(), fragment, frame.has(Frame.END_STREAM));
        } else {
            block = new ByteArrayOutputStream();
            block.writeBytes(fragment);
            blockStreamId = frame.streamId();
            blockEndsStream = frame.has(Frame.END_STREAM);
        }
    }

    private void continuation(Frame frame) throws Http2Exception {
        if (block == null) {
            throw protocol("CONTINUATION without HEADERS");
        }
        block.writeBytes(frame.payload());
        if (frame.has(Frame.END_HEADERS)) {
            byte[] whole = block.toByteArray();
            block = null;
            deliver(blockStreamId, whole, blockEndsStream);
        }
    }

    /** Decodes every block, a stream's or not: HPACK's table depends on all of them. */
    private void deliver(int streamId, byte[] fragment, boolean endStream) throws Http2Exception {
        List<Header> headers = connection.decodeHeaders(fragment);
        OutboundFlow.Stream stream = connection.stream(streamId);
        if (stream == null) {
            return;
        }
        if (endStream) {
            connection.remoteEnded(stream);
        }
        stream.handler.onHeaders(headers, endStream);
    }

    private void rstStream(Frame frame) throws Http2Exception {
        if (frame.payload().length != 4) {
            throw new Http2Exception(Http2Exception.FRAME_SIZE_ERROR, "a RST_STREAM of " + frame.payload().length);
        }
        OutboundFlow.Stream stream = connection.stream(frame.streamId());
        if (stream != null) {
            connection.reset(stream, resetStatus(frame.int32(0)));
        }
    }

    /** grpc's mapping of HTTP/2 error codes (grpc-java's Http2Error): refused streams may be retried. */
    static Status resetStatus(int errorCode) {
        Status status = switch (errorCode) {
            case RST_CANCEL -> Status.CANCELLED;
            case RST_REFUSED_STREAM -> Status.UNAVAILABLE;
            case RST_ENHANCE_YOUR_CALM -> Status.RESOURCE_EXHAUSTED.withDescription("Bandwidth exhausted");
            case RST_INADEQUATE_SECURITY -> Status.PERMISSION_DENIED;
            default -> Status.INTERNAL;
        };
        String reason = "stream reset by the runtime (HTTP/2 error code " + errorCode + ")";
        return status.withDescription(status.getDescription() == null ? reason : status.getDescription());
    }

    private static int padding(Frame frame) throws Http2Exception {
        if (!frame.has(Frame.PADDED)) {
            return 0;
        }
        if (frame.payload().length < 1) {
            throw protocol("a padded frame without its pad length");
        }
        int padding = frame.payload()[0] & 0xff;
        if (padding + 1 > frame.payload().length) {
            throw protocol("padding longer than its frame");
        }
        return padding;
    }

    private static Http2Exception protocol(String message) {
        return new Http2Exception(Http2Exception.PROTOCOL_ERROR, message);
    }
}
