package dev.berth.cli.cri;

import dev.berth.api.v1.BuildGrpc;
import dev.berth.api.v1.ContainersGrpc;
import dev.berth.api.v1.ImagesGrpc;
import dev.berth.api.v1.PullServiceGrpc;
import dev.berth.cli.CliException;
import dev.berth.cri.v1.ImageServiceGrpc;
import dev.berth.cri.v1.RuntimeServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The CLI's one connection to a CRI runtime: kubelet's channel (Netty epoll on the unix socket, plaintext,
 * 16 MiB messages) and the two services. Every call goes through {@link #call}, which turns a gRPC failure
 * into words.
 */
public final class Cri implements AutoCloseable {

    private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    private static final long CALL_SECONDS = 120;
    /** A pull of a large image over a slow link takes long; PullImage is one unary call. */
    private static final long PULL_SECONDS = 3600;

    private final Endpoint endpoint;
    private final EpollEventLoopGroup loop;
    private final ManagedChannel channel;

    private Cri(Endpoint endpoint) {
        this.endpoint = endpoint;
        // Netty's logging would look for SLF4J first (berth-image brings its API, without a provider): a class-path
        // scan and three warning lines on stderr at every start; the JDK's logging, reset in main, says nothing
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
        spareNettyTheChannelIdLookups();
        // a platform thread: epoll_wait is a native call that would pin a virtual thread's carrier, and with one CPU
        // (one carrier) every virtual thread of the command, a build's upload among them, would wait for ever
        this.loop = new EpollEventLoopGroup(
                1, Thread.ofPlatform().daemon().name("cri-event-loop").factory());
        this.channel = NettyChannelBuilder.forAddress(
                        new DomainSocketAddress(endpoint.socket().toString()))
                .channelType(EpollDomainSocketChannel.class)
                .eventLoopGroup(loop)
                .usePlaintext()
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .build();
    }

    /**
     * Netty names each channel after the host's best MAC address and this process's ID: finding the address walks
     * every network interface (a node has one per pod): 20-35 ms of a start without the AOT cache, ~7 ms of a
     * 50-container ps with it. The command's one channel needs a name unique only within this process; a value the
     * user set stays.
     */
    private static void spareNettyTheChannelIdLookups() {
        if (System.getProperty("io.netty.machineId") == null) {
            System.setProperty("io.netty.machineId", "02:00:00:00:00:01");
        }
        if (System.getProperty("io.netty.processId") == null) {
            System.setProperty(
                    "io.netty.processId", Long.toString(ProcessHandle.current().pid()));
        }
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
     * event loop: nothing waits there, and no thread pool starts for them.
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
        channel.shutdownNow();
        try {
            channel.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }
}
