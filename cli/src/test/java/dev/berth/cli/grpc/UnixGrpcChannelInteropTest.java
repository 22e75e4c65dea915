package dev.berth.cli.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.ListenableFuture;
import dev.berth.cri.v1.RuntimeServiceGrpc;
import dev.berth.cri.v1.VersionRequest;
import dev.berth.cri.v1.VersionResponse;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The channel against grpc-java's Netty server on a unix socket: every way the CLI's calls go, and fail. */
@Timeout(60)
class UnixGrpcChannelInteropTest {

    private static final int MAX_MESSAGE = 16 << 20;

    @TempDir
    Path dir;

    private final TestService service = new TestService();
    private NettyUnixServer server;
    private UnixGrpcChannel channel;

    @BeforeEach
    void start() throws Exception {
        Path socket = dir.resolve("test.sock");
        server = new NettyUnixServer(socket, service.definition(), new RuntimeServiceGrpc.RuntimeServiceImplBase() {
            @Override
            public void version(VersionRequest request, StreamObserver<VersionResponse> out) {
                out.onNext(VersionResponse.newBuilder()
                        .setRuntimeName("stand-in")
                        .setVersion(request.getVersion())
                        .build());
                out.onCompleted();
            }
        });
        channel = UnixGrpcChannel.connect(socket, MAX_MESSAGE);
    }

    @AfterEach
    void stop() throws Exception {
        channel.close();
        server.close();
    }

    @Test
    void generatedBlockingStubsCallThroughTheChannel() {
        VersionResponse response = RuntimeServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .version(VersionRequest.newBuilder().setVersion("v1").build());

        assertThat(response.getRuntimeName()).isEqualTo("stand-in");
        assertThat(response.getVersion()).isEqualTo("v1");
    }

    @Test
    void unaryCallEchoesItsMessage() {
        byte[] answer = ClientCalls.blockingUnaryCall(channel, TestService.ECHO, options(), TestService.utf8("hi"));

        assertThat(new String(answer, StandardCharsets.UTF_8)).isEqualTo("hi");
    }

    @Test
    void errorStatusKeepsANonAsciiMessage() {
        String message = "kein Image „busybox“: 100% ✗ 失败";

        assertThatThrownBy(() ->
                        ClientCalls.blockingUnaryCall(channel, TestService.FAIL, options(), TestService.utf8(message)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).isEqualTo(message);
                });
    }

    @Test
    void trailersOnlyResponseOfAnUnknownMethodIsUnimplemented() {
        var unknown = TestService.ECHO.toBuilder()
                .setFullMethodName("test.Test/Missing")
                .build();

        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, unknown, options(), new byte[0]))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
    }

    @Test
    void deadlinePassesAgainstAServerThatNeverAnswers() {
        long start = System.nanoTime();

        assertThat(hangWithADeadlineOf300Ms()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(250L, 5_000L);
        assertThat(service.hanging.getCount()).isZero();
    }

    @Test
    void serverResetAtTheDeadlineEndsTheCallDeadlineExceededWhenItBeatsOurOwnTimer() throws Exception {
        // the deadlines' one timer thread held, as a busy machine may: grpc-java's server resets the stream
        // CANCEL once our grpc-timeout passes, before our timer fires
        CountDownLatch release = new CountDownLatch(1);
        channel.timer().execute(() -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertThat(hangWithADeadlineOf300Ms()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        } finally {
            release.countDown();
        }
    }

    /** The status code of a call to the method that never answers, with a deadline 300 ms away. */
    private Status.Code hangWithADeadlineOf300Ms() {
        try {
            ClientCalls.blockingUnaryCall(
                    channel,
                    TestService.HANG,
                    CallOptions.DEFAULT.withDeadlineAfter(300, TimeUnit.MILLISECONDS),
                    new byte[0]);
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
        throw new AssertionError("a call to a server that never answers returned");
    }

    @Test
    void serverStreamWaitsForASlowConsumer() throws Exception {
        Iterator<byte[]> messages =
                ClientCalls.blockingServerStreamingCall(channel, TestService.STREAM, options(), new byte[0]);
        assertThat(messages.next()[1]).isEqualTo((byte) 0);
        Thread.sleep(500);

        // the server may send what our stream window (1 MiB) and the transports' buffers hold, not all 4 MiB
        assertThat(service.streamed.get()).isLessThan(TestService.STREAM_COUNT);
        assertThat(service.streamSawNotReady).isTrue();
        int received = 1;
        while (messages.hasNext()) {
            byte[] message = messages.next();
            assertThat(((message[0] & 0xff) << 8) | (message[1] & 0xff)).isEqualTo(received & 0xffff);
            received++;
        }
        assertThat(received).isEqualTo(TestService.STREAM_COUNT);
    }

    @Test
    void clientStreamSendsAsTheServerIsReady() throws Exception {
        int chunks = 320;
        byte[] chunk = new byte[64 * 1024];
        CompletableFuture<String> answer = new CompletableFuture<>();
        AtomicInteger notReady = new AtomicInteger();
        Object ready = new Object();
        ClientCall<byte[], byte[]> call = channel.newCall(TestService.UPLOAD, options());
        StreamObserver<byte[]> requests =
                ClientCalls.asyncClientStreamingCall(call, new ClientResponseObserver<byte[], byte[]>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<byte[]> stream) {
                        stream.setOnReadyHandler(() -> {
                            synchronized (ready) {
                                ready.notifyAll();
                            }
                        });
                    }

                    @Override
                    public void onNext(byte[] value) {
                        answer.complete(new String(value, StandardCharsets.UTF_8));
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {}
                });
        ClientCallStreamObserver<byte[]> stream = (ClientCallStreamObserver<byte[]>) requests;
        for (int i = 0; i < chunks; i++) {
            synchronized (ready) {
                while (!stream.isReady()) {
                    notReady.incrementAndGet();
                    ready.wait(1000);
                }
            }
            stream.onNext(chunk);
        }
        stream.onCompleted();

        assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo(Long.toString((long) chunks * chunk.length));
        assertThat(notReady.get()).isPositive();
    }

    @Test
    void largeResponseSpansFramesAndWindows() {
        byte[] answer = ClientCalls.blockingUnaryCall(
                channel, TestService.SIZED, options(), TestService.utf8(Integer.toString(10 << 20)));

        assertThat(answer).hasSize(10 << 20);
    }

    @Test
    void responseOverTheLimitIsResourceExhausted() {
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(
                        channel, TestService.SIZED, options(), TestService.utf8(Integer.toString(MAX_MESSAGE + 1))))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        // no call on the same connection after it: Netty 4.1.110's server may fail the whole connection when a
        // stream it is writing much on is reset (an NPE in WeightedFairQueueByteDistributor), as for grpc-java's client
    }

    @Test
    void hundredConcurrentFutureCallsAllAnswer() throws Exception {
        List<ListenableFuture<byte[]>> futures = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            futures.add(ClientCalls.futureUnaryCall(
                    channel.newCall(TestService.ECHO, options().withExecutor(Runnable::run)),
                    TestService.utf8("call " + i)));
        }

        for (int i = 0; i < 100; i++) {
            assertThat(new String(futures.get(i).get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8))
                    .isEqualTo("call " + i);
        }
    }

    @Test
    void cancelledServerStreamReachesTheServer() throws Exception {
        CompletableFuture<Status> closed = new CompletableFuture<>();
        CountDownLatch first = new CountDownLatch(1);
        ClientCall<byte[], byte[]> call = channel.newCall(TestService.FOREVER, CallOptions.DEFAULT);
        call.start(
                new ClientCall.Listener<>() {
                    @Override
                    public void onMessage(byte[] message) {
                        first.countDown();
                    }

                    @Override
                    public void onClose(Status status, Metadata trailers) {
                        closed.complete(status);
                    }
                },
                new Metadata());
        call.request(10);
        call.sendMessage(new byte[0]);
        call.halfClose();
        assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();

        call.cancel("the user pressed Ctrl-C", null);

        assertThat(service.foreverCancelled.await(10, TimeUnit.SECONDS)).isTrue();
        Status status = closed.get(10, TimeUnit.SECONDS);
        assertThat(status.getCode()).isEqualTo(Status.Code.CANCELLED);
        assertThat(status.getDescription()).isEqualTo("the user pressed Ctrl-C");
    }

    @Test
    void callAfterTheServersGoAwayGoesOnANewConnection() throws Exception {
        Path socket = dir.resolve("test.sock");
        assertThat(ClientCalls.blockingUnaryCall(channel, TestService.ECHO, options(), TestService.utf8("one")))
                .isEqualTo(TestService.utf8("one"));
        server.shutdown();
        server.close();
        java.nio.file.Files.deleteIfExists(socket);
        server = new NettyUnixServer(socket, service.definition());

        assertThat(ClientCalls.blockingUnaryCall(channel, TestService.ECHO, options(), TestService.utf8("two")))
                .isEqualTo(TestService.utf8("two"));
    }

    @Test
    void serverThatDiesMidCallIsUnavailableWithACause() throws Exception {
        Path socket = dir.resolve("dying.sock");
        try (ServerSocketChannel dying = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dying.bind(UnixDomainSocketAddress.of(socket));
            Thread.ofVirtual().start(() -> {
                try (SocketChannel accepted = dying.accept()) {
                    // the request arrives, then the process is gone: the kernel closes its socket
                    accepted.read(ByteBuffer.allocate(4096));
                } catch (Exception e) {
                    // the test sees what the client sees
                }
            });
            try (UnixGrpcChannel toDying = UnixGrpcChannel.connect(socket)) {
                assertUnavailableWithCause(toDying);
            }
        }
    }

    @Test
    void socketWithoutAServerIsUnavailableWithACause() throws Exception {
        try (UnixGrpcChannel missing = UnixGrpcChannel.connect(dir.resolve("missing.sock"))) {
            assertUnavailableWithCause(missing);
        }
        Path stale = dir.resolve("stale.sock");
        ServerSocketChannel.open(StandardProtocolFamily.UNIX)
                .bind(UnixDomainSocketAddress.of(stale))
                .close();
        try (UnixGrpcChannel refused = UnixGrpcChannel.connect(stale)) {
            assertUnavailableWithCause(refused);
        }
    }

    private static void assertUnavailableWithCause(UnixGrpcChannel target) {
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(target, TestService.ECHO, options(), new byte[1]))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(e.getCause()).isNotNull();
                });
    }

    private static CallOptions options() {
        return CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS);
    }
}
