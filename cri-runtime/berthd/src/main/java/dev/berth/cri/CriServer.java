package dev.berth.cri;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The CRI gRPC endpoint on a unix socket. The socket is root-only (0660, directory 0700 is the
 * operator's choice): anyone who can talk to it can run anything on the node.
 */
public final class CriServer implements AutoCloseable {

    /** kubelet's CRI client allows 16 MiB both ways; gRPC's 4 MiB default breaks big nodes' list calls. */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private final Path socket;
    private final Path bindPath;
    private final EventLoopGroup boss = new EpollEventLoopGroup(1);
    private final EventLoopGroup workers = new EpollEventLoopGroup(2);
    private final Server server;

    /** @param observer sees every call of every service (the metrics), outside the services' own checks */
    public CriServer(
            Path socket, List<BindableService> services, ServerInterceptor observer, ExecutorService executor) {
        this.socket = socket;
        this.bindPath = socket.resolveSibling("." + socket.getFileName() + ".binding");
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new DomainSocketAddress(bindPath.toString()))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(boss)
                .workerEventLoopGroup(workers)
                .directExecutor()
                .callExecutor(new TransportThreadCalls(executor))
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .intercept(observer)
                .intercept(new LogContextInterceptor());
        services.forEach(service -> builder.addService(StrictRequests.of(service.bindService())));
        this.server = builder.build();
    }

    /**
     * Binds beside the final path and renames the socket into place once it listens and is root-only: a
     * client that sees the path can connect at once (no ECONNREFUSED between bind and listen), and nobody
     * ever sees it with the umask's mode.
     */
    public void start() throws IOException {
        Files.createDirectories(socket.getParent());
        Files.deleteIfExists(bindPath);
        server.start();
        Files.setPosixFilePermissions(bindPath, PosixFilePermissions.fromString("rw-rw----"));
        Files.move(bindPath, socket, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        } finally {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            Files.deleteIfExists(socket);
            Files.deleteIfExists(bindPath);
        }
    }
}
