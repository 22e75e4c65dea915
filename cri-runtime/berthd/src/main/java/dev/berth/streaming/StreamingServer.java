package dev.berth.streaming;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * berthd's HTTP server for the CRI streaming calls. Exec, Attach and PortForward answer with a URL here
 * that carries a single-use token; kubelet (or crictl) connects to it and upgrades the connection to
 * SPDY/3.1 or WebSocket. Idle connections close after {@link StreamingSettings#idleTimeout()}.
 */
public final class StreamingServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamingServer.class);
    /** The upgrade request has no body worth reading; a bigger one is refused, not buffered. */
    private static final int MAX_REQUEST_BYTES = 64 * 1024;

    private final StreamingSettings settings;
    private final StreamTokens tokens;
    private final List<StreamingProtocol> protocols;
    private final EventLoopGroup boss = new EpollEventLoopGroup(1);
    private final EventLoopGroup workers = new EpollEventLoopGroup(2);
    private Channel listener;
    private URI base;

    public StreamingServer(StreamingSettings settings, StreamTokens tokens, List<StreamingProtocol> protocols) {
        this.settings = settings;
        this.tokens = tokens;
        this.protocols = List.copyOf(protocols);
    }

    public void start() throws IOException {
        SslContext ssl = settings.tls()
                ? SslContextBuilder.forServer(
                                settings.tlsCert().toFile(), settings.tlsKey().toFile())
                        .build()
                : null;
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(EpollServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (ssl != null) {
                            channel.pipeline().addLast("tls", ssl.newHandler(channel.alloc()));
                        }
                        channel.pipeline()
                                .addLast(
                                        "idle",
                                        new IdleStateHandler(
                                                0, 0, settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                                .addLast("idle-close", new IdleCloser())
                                .addLast("http", new HttpServerCodec())
                                .addLast("http-aggregate", new HttpObjectAggregator(MAX_REQUEST_BYTES))
                                .addLast("router", new StreamingRouter(tokens, protocols));
                    }
                });
        try {
            listener =
                    bootstrap.bind(settings.address(), settings.port()).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding the streaming server", e);
        } catch (RuntimeException e) {
            throw new IOException(
                    "streaming server cannot listen on " + settings.address() + ":" + settings.port() + ": "
                            + e.getMessage(),
                    e);
        }
        InetSocketAddress bound = (InetSocketAddress) listener.localAddress();
        String host = bound.getAddress().getHostAddress();
        base = URI.create((ssl != null ? "https" : "http") + "://" + (host.contains(":") ? "[" + host + "]" : host)
                + ":" + bound.getPort() + "/");
        log.info("streaming server listening on {}", base);
    }

    /** A URL for {@code request}, good for one connection within {@link StreamTokens#TTL}. */
    public URI url(StreamRequest request) throws TooManyStreamRequestsException {
        return base.resolve(request.kind() + "/" + tokens.issue(request));
    }

    public URI base() {
        return base;
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Closes a connection that {@link IdleStateHandler} reports idle. */
    private static final class IdleCloser extends io.netty.channel.ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(io.netty.channel.ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof io.netty.handler.timeout.IdleStateEvent) {
                log.info(
                        "streaming connection {} idle for too long, closed",
                        ctx.channel().remoteAddress());
                ctx.close();
                return;
            }
            super.userEventTriggered(ctx, event);
        }
    }
}
