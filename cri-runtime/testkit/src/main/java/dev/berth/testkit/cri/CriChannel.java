package dev.berth.testkit.cri;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC channel to a CRI unix socket, opened as kubelet opens it: Netty epoll, plaintext, 16 MiB messages.
 * It speaks to any CRI runtime (berthd, containerd); closing it ends its event loop too.
 */
public final class CriChannel implements AutoCloseable {

    /** kubelet's CRI client limit both ways (gRPC's 4 MiB default breaks big nodes' list calls). */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private final Path socket;
    private final EpollEventLoopGroup loop = new EpollEventLoopGroup(1);
    private final ManagedChannel channel;

    private CriChannel(Path socket) {
        this.socket = socket;
        this.channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollDomainSocketChannel.class)
                .eventLoopGroup(loop)
                .usePlaintext()
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .build();
    }

    /** Connects lazily: the first call fails with UNAVAILABLE if nothing listens on {@code socket}. */
    public static CriChannel connect(Path socket) {
        return new CriChannel(socket);
    }

    public Path socket() {
        return socket;
    }

    public ManagedChannel channel() {
        return channel;
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // A blocking caller tears its cancelled call down on its own thread, cancelling the deadline timer on this
        // loop; a loop already gone rejects that and the caller waits forever (seen in the fault test, berthd
        // killed under 20 calls). The quiet period keeps the loop for those last tasks; close() does not wait.
        loop.shutdownGracefully(1, 10, TimeUnit.SECONDS);
    }
}
