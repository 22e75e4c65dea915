package dev.berth.cli.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A service of raw byte messages for the interop tests: each method one way a call can go. */
final class TestService {

    static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    static final MethodDescriptor<byte[], byte[]> ECHO = method("Echo", MethodDescriptor.MethodType.UNARY);
    /** Answers a message of as many bytes as the request's decimal number says. */
    static final MethodDescriptor<byte[], byte[]> SIZED = method("Sized", MethodDescriptor.MethodType.UNARY);
    /** Fails with the request as the status's description. */
    static final MethodDescriptor<byte[], byte[]> FAIL = method("Fail", MethodDescriptor.MethodType.UNARY);

    static final MethodDescriptor<byte[], byte[]> HANG = method("Hang", MethodDescriptor.MethodType.UNARY);
    /** Streams {@link #STREAM_COUNT} messages of 2 KiB, each when the call is ready for it. */
    static final MethodDescriptor<byte[], byte[]> STREAM =
            method("Stream", MethodDescriptor.MethodType.SERVER_STREAMING);
    /** Sends one message, then one after the other stays silent until cancelled. */
    static final MethodDescriptor<byte[], byte[]> FOREVER =
            method("Forever", MethodDescriptor.MethodType.SERVER_STREAMING);
    /** Answers the total size of the messages it was sent. */
    static final MethodDescriptor<byte[], byte[]> UPLOAD =
            method("Upload", MethodDescriptor.MethodType.CLIENT_STREAMING);

    static final int STREAM_COUNT = 2000;

    final AtomicInteger streamed = new AtomicInteger();
    final AtomicBoolean streamSawNotReady = new AtomicBoolean();
    final CountDownLatch foreverCancelled = new CountDownLatch(1);
    final CountDownLatch hanging = new CountDownLatch(1);

    private static MethodDescriptor<byte[], byte[]> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("test.Test", name))
                .setRequestMarshaller(BYTES)
                .setResponseMarshaller(BYTES)
                .build();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    ServerServiceDefinition definition() {
        return ServerServiceDefinition.builder("test.Test")
                .addMethod(ECHO, ServerCalls.asyncUnaryCall((request, out) -> {
                    out.onNext(request);
                    out.onCompleted();
                }))
                .addMethod(SIZED, ServerCalls.asyncUnaryCall((request, out) -> {
                    out.onNext(new byte[Integer.parseInt(new String(request, StandardCharsets.UTF_8))]);
                    out.onCompleted();
                }))
                .addMethod(
                        FAIL,
                        ServerCalls.asyncUnaryCall((request, out) -> out.onError(Status.INVALID_ARGUMENT
                                .withDescription(new String(request, StandardCharsets.UTF_8))
                                .asRuntimeException())))
                .addMethod(HANG, ServerCalls.asyncUnaryCall((request, out) -> hanging.countDown()))
                .addMethod(STREAM, ServerCalls.asyncServerStreamingCall(this::stream))
                .addMethod(FOREVER, ServerCalls.asyncServerStreamingCall((request, out) -> {
                    ServerCallStreamObserver<byte[]> call = (ServerCallStreamObserver<byte[]>) out;
                    call.setOnCancelHandler(foreverCancelled::countDown);
                    call.onNext(utf8("first"));
                }))
                .addMethod(UPLOAD, ServerCalls.asyncClientStreamingCall(out -> new StreamObserver<byte[]>() {
                    private long total;

                    @Override
                    public void onNext(byte[] chunk) {
                        total += chunk.length;
                    }

                    @Override
                    public void onError(Throwable t) {}

                    @Override
                    public void onCompleted() {
                        out.onNext(utf8(Long.toString(total)));
                        out.onCompleted();
                    }
                }))
                .build();
    }

    private void stream(byte[] request, StreamObserver<byte[]> out) {
        ServerCallStreamObserver<byte[]> call = (ServerCallStreamObserver<byte[]>) out;
        Runnable drain = new Runnable() {
            private boolean done;

            @Override
            public synchronized void run() {
                while (!done && call.isReady() && streamed.get() < STREAM_COUNT) {
                    byte[] message = new byte[2048];
                    int n = streamed.getAndIncrement();
                    message[0] = (byte) (n >>> 8);
                    message[1] = (byte) n;
                    call.onNext(message);
                }
                if (!done && streamed.get() == STREAM_COUNT) {
                    done = true;
                    call.onCompleted();
                } else if (!done) {
                    streamSawNotReady.set(true);
                }
            }
        };
        call.setOnReadyHandler(drain);
        drain.run();
    }
}
