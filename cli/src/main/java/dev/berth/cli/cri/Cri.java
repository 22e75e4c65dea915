package dev.berth.cli.cri;

import dev.berth.api.v1.BuildGrpc;
import dev.berth.api.v1.ContainersGrpc;
import dev.berth.api.v1.ImagesGrpc;
import dev.berth.api.v1.PullServiceGrpc;
import dev.berth.cli.CliException;
import dev.berth.cli.grpc.UnixGrpcChannel;
import dev.berth.cri.v1.ImageServiceGrpc;
import dev.berth.cri.v1.RuntimeServiceGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The CLI's one connection to a CRI runtime: plaintext gRPC on the unix socket (16 MiB messages, as kubelet's)
 * and the two services. Every call goes through {@link #call}, which turns a gRPC failure into words.
 */
public final class Cri implements AutoCloseable {

    private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    private static final long CALL_SECONDS = 120;
    /** A pull of a large image over a slow link takes long; PullImage is one unary call. */
    private static final long PULL_SECONDS = 3600;

    private final Endpoint endpoint;
    private final UnixGrpcChannel channel;

    private Cri(Endpoint endpoint) {
        this.endpoint = endpoint;
        this.channel = UnixGrpcChannel.connect(endpoint.socket(), MAX_MESSAGE_BYTES);
    }

    public static Cri connect(Endpoint endpoint) {
        endpoint.checkReachable();
        return new Cri(endpoint);
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    public RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime() {
        return RuntimeServiceGrpc.newBlockingStub(channel).withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * For calls that go out together (ps asks every container's status at once). Their answers complete on the
     * channel's reader thread: nothing waits there, and no thread pool starts for them.
     */
    public RuntimeServiceGrpc.RuntimeServiceFutureStub runtimeFutures() {
        return RuntimeServiceGrpc.newFutureStub(channel)
                .withExecutor(Runnable::run)
                .withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS);
    }

    public ImageServiceGrpc.ImageServiceBlockingStub images() {
        return ImageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS);
    }

    /** berthd's berth.v1 pull with per-layer progress; another runtime answers UNIMPLEMENTED. */
    public PullServiceGrpc.PullServiceBlockingStub pullStream() {
        return PullServiceGrpc.newBlockingStub(channel).withDeadlineAfter(PULL_SECONDS, TimeUnit.SECONDS);
    }

    public ImageServiceGrpc.ImageServiceBlockingStub pulls() {
        return ImageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(PULL_SECONDS, TimeUnit.SECONDS);
    }

    /** berthd's own image calls (berth.v1: tag, history), beside CRI on the same socket. */
    public ImagesGrpc.ImagesBlockingStub berthImages() {
        return ImagesGrpc.newBlockingStub(channel).withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS);
    }

    /** berthd's berth.v1 exec with a user, working directory and variables; another runtime answers UNIMPLEMENTED. */
    public ContainersGrpc.ContainersBlockingStub berthContainers() {
        return ContainersGrpc.newBlockingStub(channel).withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS);
    }

    /** As {@link #berthImages()}, with a push's long deadline: a large image over a slow link takes long. */
    public ImagesGrpc.ImagesBlockingStub pushes() {
        return ImagesGrpc.newBlockingStub(channel).withDeadlineAfter(PULL_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * berthd's image build (berth.v1 Build), a client-streaming call the caller drives with back-pressure; no
     * deadline, as a build takes as long as its steps: Ctrl-C cancels it.
     */
    public BuildGrpc.BuildStub builds() {
        return BuildGrpc.newStub(channel);
    }

    /** Runs one call; a failure becomes a {@link CliException} naming {@code what} and the runtime's reason. */
    public <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            throw failure(what, e);
        }
    }

    /** The words for a failed call: the daemon's absence apart, the runtime's own description. */
    public CliException failure(String what, StatusRuntimeException e) {
        Status status = e.getStatus();
        // The runtime itself answers UNAVAILABLE too (an unreachable registry); only a transport failure has a cause.
        if (status.getCode() == Status.Code.UNAVAILABLE && e.getCause() != null) {
            return new CliException(endpoint.notRunning());
        }
        String reason = status.getDescription() == null ? status.getCode().toString() : status.getDescription();
        return new CliException(what + ": " + reason);
    }

    @Override
    public void close() {
        channel.close();
    }
}
