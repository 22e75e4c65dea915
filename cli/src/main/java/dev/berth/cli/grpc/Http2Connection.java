package dev.berth.cli.grpc;

import io.grpc.Status;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One HTTP/2 client connection (RFC 9113) on a unix socket: frames written under one lock, read by one
 * platform daemon thread that applies the peer's settings, answers pings, keeps both directions' flow control and
 * hands each stream's headers and data to its {@link StreamHandler}. A platform thread, not a virtual one, as
 * Netty's event loop was: the reader is always blocked in a read, and on a one-CPU host it would hold the only
 * carrier while the command's other virtual threads wait.
 */
final class Http2Connection implements AutoCloseable {

    /** A stream whose queued outbound bytes reach this is not ready (grpc-java's onReady threshold). */
    static final int READY_BYTES = 32 * 1024;

    /** Our receive window per stream: what a server may send ahead of what the call has consumed. */
    static final int STREAM_WINDOW = 1 << 20;

    /** The connection's receive window (grpc-java's size), given back as DATA arrives: it holds no call up. */
    private static final int CONNECTION_WINDOW = 1 << 20;

    private static final int MAX_HEADER_BLOCK = 8 << 20;
    private static final int NO_ERROR = 0x0;
    private static final int CANCEL = 0x8;

    private final SocketChannel socket;
    private final FrameWriter writer;
    private final FrameReader reader;
    private final HpackDecoder hpack = new HpackDecoder(Frame.DEFAULT_HEADER_TABLE_SIZE);
    private final OutboundFlow flow;
    private final Object lock = new Object();
    private final Map<Integer, OutboundFlow.Stream> streams = new HashMap<>();
    private int nextStreamId = 1;
    private int connectionUnacked;
    /** Set once: the connection takes no more streams (GOAWAY, failure or close). */
    private Status refusal;

    private Http2Connection(SocketChannel socket) {
        this.socket = socket;
        this.writer = new FrameWriter(socket);
        this.reader = new FrameReader(socket, Frame.DEFAULT_MAX_FRAME_SIZE);
        this.flow = new OutboundFlow(writer);
    }

    /** Connects and sends the preface; a failure is the UNAVAILABLE with a cause every call would report. */
    static Http2Connection open(Path path) {
        SocketChannel socket = null;
        try {
            socket = SocketChannel.open(UnixDomainSocketAddress.of(path));
            Http2Connection connection = new Http2Connection(socket);
            connection.start();
            return connection;
        } catch (IOException e) {
            closeQuietly(socket);
            throw Status.UNAVAILABLE
                    .withDescription("cannot connect to " + path + ": " + e.getMessage())
                    .withCause(e)
                    .asRuntimeException();
        }
    }

    private void start() throws IOException {
        synchronized (lock) {
            writer.preface();
            writer.settings(
                    Frame.SETTINGS_ENABLE_PUSH, 0,
                    Frame.SETTINGS_INITIAL_WINDOW_SIZE, STREAM_WINDOW,
                    Frame.SETTINGS_MAX_HEADER_LIST_SIZE, MAX_HEADER_BLOCK);
            writer.windowUpdate(0, CONNECTION_WINDOW - Frame.DEFAULT_WINDOW);
            writer.flush();
        }
        Thread.ofPlatform().daemon().name("berth-grpc-reader").start(this::readLoop);
    }

    /** Whether a new stream would be refused: the caller then opens another connection. */
    boolean refusesStreams() {
        synchronized (lock) {
            return refusal != null;
        }
    }

    /** Opens a stream with its request headers; a refusal throws its status. */
    OutboundFlow.Stream newStream(StreamHandler handler, List<Header> headers) {
        synchronized (lock) {
            if (refusal != null) {
                throw refusal.asRuntimeException();
            }
            OutboundFlow.Stream stream = flow.stream(nextStreamId, handler);
            nextStreamId += 2;
            streams.put(stream.id, stream);
            writer.headers(stream.id, HpackEncoder.encode(headers), false, flow.maxFrameSize());
            flushOrFail();
            return stream;
        }
    }

    /** Queues bytes for the stream and sends what the windows allow; the rest goes as the peer opens them. */
    void send(OutboundFlow.Stream stream, byte[] data, boolean endStream) {
        synchronized (lock) {
            if (stream.closed) {
                return;
            }
            flow.enqueue(stream, data, endStream);
            flow.flush(stream);
            flushOrFail();
        }
    }

    /** Whether the stream takes more without growing its queue past {@link #READY_BYTES}. */
    boolean isReady(OutboundFlow.Stream stream) {
        synchronized (lock) {
            return flow.isReady(stream);
        }
    }

    /** The call has consumed {@code bytes} of the stream's data: the peer may send that much more. */
    void consumed(OutboundFlow.Stream stream, int bytes) {
        synchronized (lock) {
            if (stream.closed || bytes <= 0) {
                return;
            }
            stream.unacked += bytes;
            if (stream.unacked >= STREAM_WINDOW / 2) {
                writer.windowUpdate(stream.id, stream.unacked);
                stream.unacked = 0;
                flushOrFail();
            }
        }
    }

    /** Ends the stream from our side (a cancelled call): RST_STREAM CANCEL. */
    void cancel(OutboundFlow.Stream stream) {
        synchronized (lock) {
            if (!stream.closed) {
                remove(stream);
                writer.rstStream(stream.id, CANCEL);
                flushOrFail();
            }
        }
    }

    /** GOAWAY, then the socket; open streams end CANCELLED. */
    @Override
    public void close() {
        List<OutboundFlow.Stream> open;
        synchronized (lock) {
            if (refusal == null) {
                refusal = Status.UNAVAILABLE.withDescription("the channel is closed");
            }
            open = removeAll();
            try {
                writer.goAway(0, NO_ERROR);
                writer.flush();
            } catch (IOException e) {
                // the peer went already
            }
            closeQuietly(socket);
        }
        for (OutboundFlow.Stream stream : open) {
            stream.handler.onReset(Status.CANCELLED.withDescription("the channel was closed"));
        }
    }

    private void readLoop() {
        FrameDispatcher dispatcher = new FrameDispatcher(this);
        try {
            while (true) {
                dispatcher.dispatch(reader.read());
            }
        } catch (Http2Exception e) {
            synchronized (lock) {
                // the last stream the server started: none
                writer.goAway(0, e.errorCode());
                flushOrFail();
            }
            fail(e);
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    /** A transport failure: every open call ends UNAVAILABLE with the failure as its cause. */
    private void fail(Throwable cause) {
        List<OutboundFlow.Stream> open;
        Status status = Status.UNAVAILABLE
                .withDescription("the connection to the runtime failed: " + cause.getMessage())
                .withCause(cause);
        synchronized (lock) {
            if (refusal == null) {
                refusal = status;
            }
            open = removeAll();
            closeQuietly(socket);
        }
        for (OutboundFlow.Stream stream : open) {
            stream.handler.onReset(status);
        }
    }

    // ---- for the FrameDispatcher, on the reader thread

    List<Header> decodeHeaders(byte[] block) throws Http2Exception {
        if (block.length > MAX_HEADER_BLOCK) {
            throw new Http2Exception(Http2Exception.PROTOCOL_ERROR, "a header block of " + block.length + " bytes");
        }
        return hpack.decode(block);
    }

    OutboundFlow.Stream stream(int id) {
        synchronized (lock) {
            return streams.get(id);
        }
    }

    /** The peer ended the stream: it is done here; a request still being sent stops (RST_STREAM CANCEL). */
    void remoteEnded(OutboundFlow.Stream stream) {
        synchronized (lock) {
            if (!stream.closed) {
                boolean unfinished = !stream.endSent;
                remove(stream);
                if (unfinished) {
                    writer.rstStream(stream.id, CANCEL);
                    flushOrFail();
                }
            }
        }
    }

    /** DATA arrived: the connection window opens again at once, the stream's as the call consumes. */
    void received(OutboundFlow.Stream stream, int frameBytes, int paddingBytes) {
        synchronized (lock) {
            connectionUnacked += frameBytes;
            if (connectionUnacked >= CONNECTION_WINDOW / 4) {
                writer.windowUpdate(0, connectionUnacked);
                connectionUnacked = 0;
                flushOrFail();
            }
        }
        if (stream != null) {
            consumed(stream, paddingBytes);
        }
    }

    void reset(OutboundFlow.Stream stream, Status status) {
        synchronized (lock) {
            if (stream.closed) {
                return;
            }
            remove(stream);
        }
        stream.handler.onReset(status);
    }

    void settings(Frame frame) throws Http2Exception {
        List<OutboundFlow.Stream> writable;
        synchronized (lock) {
            flow.applySettings(frame, streams.values());
            writer.settingsAck();
            writable = flow.flushAll(streams.values());
            flushOrFail();
        }
        writable.forEach(stream -> stream.handler.onWritable());
    }

    void ping(byte[] opaque) {
        synchronized (lock) {
            writer.pingAck(opaque);
            flushOrFail();
        }
    }

    void windowUpdate(int streamId, int increment) throws Http2Exception {
        List<OutboundFlow.Stream> writable = new ArrayList<>();
        synchronized (lock) {
            if (streamId == 0) {
                flow.openConnectionWindow(increment);
                writable = flow.flushAll(streams.values());
            } else {
                OutboundFlow.Stream stream = streams.get(streamId);
                if (stream != null) {
                    flow.openStreamWindow(stream, increment);
                    if (flow.flush(stream)) {
                        writable.add(stream);
                    }
                }
            }
            flushOrFail();
        }
        writable.forEach(stream -> stream.handler.onWritable());
    }

    /** GOAWAY: no new streams; those the peer never saw are refused, the others run to their end. */
    void goAway(int lastStreamId, int errorCode) {
        List<OutboundFlow.Stream> refused = new ArrayList<>();
        Status status = Status.UNAVAILABLE
                .withDescription("the runtime closed the connection (GOAWAY, error code " + errorCode + ")")
                .withCause(new IOException("GOAWAY with last stream " + lastStreamId + ", error code " + errorCode));
        synchronized (lock) {
            if (refusal == null) {
                refusal = status;
            }
            for (OutboundFlow.Stream stream : List.copyOf(streams.values())) {
                if (stream.id > lastStreamId) {
                    remove(stream);
                    refused.add(stream);
                }
            }
        }
        refused.forEach(stream -> stream.handler.onReset(status));
    }

    // ---- under the lock

    private void remove(OutboundFlow.Stream stream) {
        stream.closed = true;
        streams.remove(stream.id);
    }

    private List<OutboundFlow.Stream> removeAll() {
        List<OutboundFlow.Stream> open = List.copyOf(streams.values());
        open.forEach(stream -> stream.closed = true);
        streams.clear();
        return open;
    }

    /** A failed write fails the connection; the reader thread then sees the closed socket and reports it. */
    private void flushOrFail() {
        try {
            writer.flush();
        } catch (IOException e) {
            if (refusal == null) {
                refusal = Status.UNAVAILABLE
                        .withDescription("the connection to the runtime failed: " + e.getMessage())
                        .withCause(e);
            }
            closeQuietly(socket);
        }
    }

    private static void closeQuietly(SocketChannel socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing left to release
            }
        }
    }
}
