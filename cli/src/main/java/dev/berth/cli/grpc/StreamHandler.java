package dev.berth.cli.grpc;

import io.grpc.Status;
import java.util.List;

/**
 * What a stream of an {@link Http2Connection} reports to its call. All but {@link #onWritable} and a reset by
 * {@link Http2Connection#close} come on the connection's reader thread, which they must not block.
 */
interface StreamHandler {

    void onHeaders(List<Header> headers, boolean endStream);

    /** A DATA frame's content; the array is the handler's to keep. */
    void onData(byte[] data, int offset, int length, boolean endStream);

    /** The stream ended without the peer's trailers: reset, refused by GOAWAY, or the connection failed. */
    void onReset(Status status);

    /** The bytes queued for the peer fell below {@link Http2Connection#READY_BYTES} after having reached it. */
    void onWritable();
}
