package dev.berth.cli.grpc;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC call on an HTTP/2 stream: request headers, length-prefixed messages, the response's headers, messages
 * (as many as {@link #request} asked for) and status. The listener's callbacks run one at a time, in order, on
 * the call options' executor; without one, on the thread that caused them, often the connection's reader, which
 * they must then not block. onClose comes once, last.
 */
final class GrpcClientCall<Q, R> extends ClientCall<Q, R> {

    private final UnixGrpcChannel channel;
    private final MethodDescriptor<Q, R> method;
    private final CallOptions options;
    private final SerializingExecutor callbacks;
    private final MessageDeframer deframer;
    private final ArrayDeque<MessageDeframer.Message> messages = new ArrayDeque<>();
    private final Stream streamEvents = new Stream();

    // guarded by this
    private Listener<R> listener;
    private Http2Connection connection;
    private volatile OutboundFlow.Stream stream;
    private boolean headersSeen;
    private int demand;
    private Status status;
    private Metadata trailers;
    private boolean closed;
    private ScheduledFuture<?> deadlineTimer;

    GrpcClientCall(UnixGrpcChannel channel, MethodDescriptor<Q, R> method, CallOptions options, int maxInbound) {
        this.channel = channel;
        this.method = method;
        this.options = options;
        Executor executor = options.getExecutor();
        this.callbacks = new SerializingExecutor(executor == null ? Runnable::run : executor);
        Integer callLimit = options.getMaxInboundMessageSize();
        this.deframer = new MessageDeframer(callLimit == null ? maxInbound : Math.min(callLimit, maxInbound));
    }

    @Override
    public void start(Listener<R> responseListener, Metadata headers) {
        Deadline deadline = options.getDeadline();
        synchronized (this) {
            if (listener != null) {
                throw new IllegalStateException("the call was started already");
            }
            listener = responseListener;
            open(deadline, headers);
        }
        callbacks.execute(this::ready);
        callbacks.execute(this::deliver);
    }

    /** Under the call's lock: the stream and the deadline's timer, or the status that prevents them. */
    private void open(Deadline deadline, Metadata headers) {
        if (deadline != null && deadline.isExpired()) {
            finish(
                    Status.DEADLINE_EXCEEDED.withDescription("the deadline passed before the call started"),
                    new Metadata(),
                    true);
            return;
        }
        Long timeout = deadline == null ? null : deadline.timeRemaining(TimeUnit.NANOSECONDS);
        List<Header> request = GrpcHeaders.request(method, channel.authority(), channel.userAgent(), timeout, headers);
        try {
            connection = channel.connection();
            stream = connection.newStream(streamEvents, request);
        } catch (StatusRuntimeException e) {
            finish(e.getStatus(), new Metadata(), true);
            return;
        }
        if (deadline != null) {
            deadlineTimer = channel.timer().schedule(this::deadlineExceeded, timeout, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void request(int count) {
        synchronized (this) {
            demand = (int) Math.min(Integer.MAX_VALUE, (long) demand + count);
        }
        callbacks.execute(this::deliver);
    }

    @Override
    public void sendMessage(Q message) {
        OutboundFlow.Stream current = stream;
        if (current == null || isClosed()) {
            // a call that ended (its status is on its way to the listener) drops what it is sent, as grpc-java's
            return;
        }
        byte[] framed;
        try (InputStream in = method.streamRequest(message)) {
            framed = MessageDeframer.frame(in.readAllBytes());
        } catch (IOException e) {
            cancel("the request could not be serialized", e);
            return;
        }
        connection.send(current, framed, false);
    }

    @Override
    public void halfClose() {
        OutboundFlow.Stream current = stream;
        if (current != null) {
            connection.send(current, new byte[0], true);
        }
    }

    @Override
    public boolean isReady() {
        OutboundFlow.Stream current = stream;
        return current != null && !isClosed() && connection.isReady(current);
    }

    @Override
    public void cancel(String message, Throwable cause) {
        Status cancelled = Status.CANCELLED;
        if (message != null) {
            cancelled = cancelled.withDescription(message);
        }
        end(cancelled.withCause(cause));
    }

    /** Ends the call from our side: the server learns by RST_STREAM, the listener by the status. */
    private void end(Status ending) {
        OutboundFlow.Stream current;
        synchronized (this) {
            if (listener == null || status != null) {
                return;
            }
            current = stream;
            finish(ending, new Metadata(), true);
        }
        if (current != null) {
            connection.cancel(current);
        }
        callbacks.execute(this::deliver);
    }

    private void deadlineExceeded() {
        end(Status.DEADLINE_EXCEEDED.withDescription("the deadline of the call passed"));
    }

    private synchronized boolean isClosed() {
        return status != null;
    }

    /**
     * Under the call's lock: decides the call's status, once; onClose follows the messages still queued unless they
     * are dropped. The caller then runs {@link #deliver} through the callbacks, outside the lock: a listener that
     * takes a lock of its own (BuildCall's) while another thread holds that one and asks {@link #isReady} would
     * otherwise deadlock.
     */
    private void finish(Status decided, Metadata decidedTrailers, boolean dropMessages) {
        if (status != null) {
            return;
        }
        status = decided;
        trailers = decidedTrailers;
        if (dropMessages) {
            messages.clear();
        }
        if (deadlineTimer != null) {
            deadlineTimer.cancel(false);
        }
    }

    private void ready() {
        Listener<R> target;
        synchronized (this) {
            if (status != null) {
                return;
            }
            target = listener;
        }
        target.onReady();
    }

    /** On the callback executor: messages as demanded, then onClose once the queue is empty. */
    private void deliver() {
        while (true) {
            MessageDeframer.Message message;
            Listener<R> target;
            synchronized (this) {
                if (closed) {
                    return;
                }
                target = listener;
                if (demand > 0 && !messages.isEmpty()) {
                    message = messages.poll();
                    demand--;
                } else if (messages.isEmpty() && status != null) {
                    closed = true;
                    message = null;
                } else {
                    return;
                }
            }
            if (message == null) {
                target.onClose(status, trailers);
                return;
            }
            R response;
            try {
                response = method.parseResponse(new ByteArrayInputStream(message.bytes()));
            } catch (RuntimeException e) {
                end(Status.INTERNAL
                        .withDescription("the response could not be parsed")
                        .withCause(e));
                continue;
            }
            connection.consumed(stream, message.heldBytes());
            target.onMessage(response);
        }
    }

    /** The stream's events, on the connection's reader thread. */
    private final class Stream implements StreamHandler {

        @Override
        public void onHeaders(List<Header> headers, boolean endStream) {
            Listener<R> target = null;
            Metadata metadata = GrpcHeaders.metadata(headers);
            synchronized (GrpcClientCall.this) {
                if (status != null) {
                    return;
                }
                if (endStream) {
                    // trailers, or a trailers-only response
                    Status decided = GrpcHeaders.status(headers);
                    if (deframer.isPartial()) {
                        decided = Status.INTERNAL.withDescription("the stream ended inside a message");
                    }
                    finish(decided, metadata, false);
                } else if (headersSeen) {
                    protocolError("a second HEADERS without END_STREAM");
                } else if (!"200".equals(GrpcHeaders.value(headers, ":status"))) {
                    protocolError(GrpcHeaders.httpStatus(String.valueOf(GrpcHeaders.value(headers, ":status"))));
                } else {
                    headersSeen = true;
                    target = listener;
                }
            }
            if (target == null) {
                callbacks.execute(GrpcClientCall.this::deliver);
                return;
            }
            Listener<R> listening = target;
            callbacks.execute(() -> {
                if (!isClosed()) {
                    listening.onHeaders(metadata);
                }
            });
        }

        @Override
        public void onData(byte[] data, int offset, int length, boolean endStream) {
            int partial;
            synchronized (GrpcClientCall.this) {
                if (status != null) {
                    return;
                }
                if (!headersSeen) {
                    protocolError("DATA before the response's HEADERS");
                    partial = 0;
                } else {
                    try {
                        partial = deframer.feed(data, offset, length, messages);
                    } catch (StatusRuntimeException e) {
                        protocolError(e.getStatus());
                        partial = 0;
                    }
                }
                if (endStream) {
                    finish(
                            Status.INTERNAL.withDescription("the response ended without trailers"),
                            new Metadata(),
                            false);
                }
            }
            connection.consumed(stream, partial);
            callbacks.execute(GrpcClientCall.this::deliver);
        }

        @Override
        public void onReset(Status reset) {
            // A server that saw our grpc-timeout pass resets the stream CANCEL; when that reset beats our own
            // deadline timer (a busy machine), the call still ended by its deadline, as grpc-java reports it.
            Deadline deadline = options.getDeadline();
            Status ending = reset.getCode() == Status.Code.CANCELLED && deadline != null && deadline.isExpired()
                    ? Status.DEADLINE_EXCEEDED.withDescription(
                            "the deadline of the call passed; the server reset the stream")
                    : reset;
            synchronized (GrpcClientCall.this) {
                finish(ending, new Metadata(), true);
            }
            callbacks.execute(GrpcClientCall.this::deliver);
        }

        @Override
        public void onWritable() {
            callbacks.execute(GrpcClientCall.this::ready);
        }

        private void protocolError(String message) {
            protocolError(Status.INTERNAL.withDescription(message));
        }

        /** Under the call's lock: the call ends with the status, the server learns by RST_STREAM. */
        private void protocolError(Status error) {
            finish(error, new Metadata(), true);
            connection.cancel(stream);
        }
    }
}
