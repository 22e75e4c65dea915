package dev.berth.cli.grpc;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** grpc-java's own server on a unix socket, as berthd runs it (Netty epoll): the peer the channel must speak to. */
final class NettyUnixServer implements AutoCloseable {

    private final EpollEventLoopGroup loop = new EpollEventLoopGroup(1);
    private final Server server;

    NettyUnixServer(Path socket, ServerServiceDefinition service, BindableService... more) throws IOException {
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(loop)
                .workerEventLoopGroup(loop)
                .maxInboundMessageSize(32 << 20)
                .addService(service);
        for (BindableService bindable : more) {
            builder.addService(bindable);
        }
        server = builder.build().start();
    }

    /** Graceful: GOAWAY to the clients, the calls they have open run to their end. */
    void shutdown() throws InterruptedException {
        server.shutdown().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }
}
