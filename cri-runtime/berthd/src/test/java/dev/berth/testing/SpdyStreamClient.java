package dev.berth.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.runtime.TerminalSize;
import dev.berth.streaming.StreamRequest;
import dev.berth.streaming.spdy.SpdyCodec;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client of a CRI streaming server that speaks SPDY/3.1 the way kubelet's callers do (client-go's SPDY
 * round tripper, remotecommand v1-v5 and portforward): the same upgrade request, the same streams with the
 * same headers in the same order, and spdystream's frame behaviour (see {@link SpdyClientConnection}).
 *
 * <pre>{@code
 * try (SpdyStreamClient client = new SpdyStreamClient()) {
 *     ExecResult r = client.exec(url, new Channels(true, true, true, false), "hi".getBytes());
 *     r.exitCode();                                   // from the v4 status on the error stream
 *     try (var session = client.openSession(pfUrl)) {
 *         var conn = session.connect(8080);           // conn.input(), conn.output(), conn.awaitError()
 *     }
 * }
 * }</pre>
 */
public final class SpdyStreamClient implements AutoCloseable {

    /** What client-go's SPDY executor offers, in its order (NewSPDYExecutorForTransports). */
    public static final List<String> REMOTE_COMMAND_PROTOCOLS = List.of(
            "v5.channel.k8s.io", "v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io");

    public static final List<String> PORT_FORWARD_PROTOCOLS = List.of("portforward.k8s.io");
    private static final long TIMEOUT_SECONDS = 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    /** The server answered the upgrade with something other than 101. */
    public static final class UpgradeRefusedException extends IOException {
        private final int status;
        private final HttpHeaders headers;
        private final String body;

        UpgradeRefusedException(int status, HttpHeaders headers, String body) {
            super("upgrade refused: " + status + ": " + body.strip());
            this.status = status;
            this.headers = headers;
            this.body = body;
        }

        public int status() {
            return status;
        }

        public HttpHeaders headers() {
            return headers;
        }

        public String body() {
            return body;
        }
    }

    /**
     * An exec's or attach's outcome: what came on stdout and stderr, and the error stream's bytes.
     *
     * @param protocol the negotiated version
     */
    public record ExecResult(String protocol, byte[] stdout, byte[] stderr, byte[] errorStream) {

        public String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        public String stderrText() {
            return new String(stderr, StandardCharsets.UTF_8);
        }

        public String errorText() {
            return new String(errorStream, StandardCharsets.UTF_8);
        }

        /** The v4 metav1.Status on the error stream; empty before v4 or when the server wrote none. */
        public Optional<JsonNode> status() {
            if (!protocol.startsWith("v4.") && !protocol.startsWith("v5.") || errorStream.length == 0) {
                return Optional.empty();
            }
            try {
                return Optional.of(JSON.readTree(errorStream));
            } catch (IOException e) {
                throw new IllegalStateException("error stream protocol error: " + errorText(), e);
            }
        }

        /**
         * The exit code as client-go reads it: v4 status Success is 0, NonZeroExitCode carries it in the
         * ExitCode cause; before v4 an empty error stream is 0. Empty when the command failed otherwise.
         */
        public Optional<Integer> exitCode() {
            Optional<JsonNode> status = status();
            if (status.isEmpty()) {
                return errorStream.length == 0 ? Optional.of(0) : Optional.empty();
            }
            JsonNode s = status.get();
            if ("Success".equals(s.path("status").asText())) {
                return Optional.of(0);
            }
            if ("NonZeroExitCode".equals(s.path("reason").asText())) {
                for (JsonNode cause : s.path("details").path("causes")) {
                    if ("ExitCode".equals(cause.path("reason").asText())) {
                        return Optional.of(
                                Integer.parseInt(cause.path("message").asText()));
                    }
                }
            }
            return Optional.empty();
        }
    }

    /**
     * Upgrades a connection to {@code url} (exec, attach or portforward URL) as client-go's round tripper does:
     * {@code POST}, {@code Connection: Upgrade}, {@code Upgrade: SPDY/3.1}, one {@code X-Stream-Protocol-Version}
     * header per offered version in the client's order of preference.
     */
    public SpdyClientConnection connect(URI url, List<String> protocols) throws IOException {
        CompletableFuture<SpdyClientConnection> upgraded = new CompletableFuture<>();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                // reads of up to 256 KiB, as the server's port-forward frames are (Netty's default stops at 64 KiB)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(512, 16 * 1024, 256 * 1024))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline()
                                .addLast("http", new HttpClientCodec())
                                .addLast("http-aggregate", new HttpObjectAggregator(1024 * 1024))
                                .addLast("upgrade", new Upgrade(upgraded));
                    }
                });
        Channel channel;
        try {
            channel = bootstrap.connect(url.getHost(), url.getPort()).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting", e);
        }
        FullHttpRequest request = new DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1,
                HttpMethod.POST,
                url.getRawPath() + (url.getRawQuery() != null ? "?" + url.getRawQuery() : ""));
        request.headers()
                .set(HttpHeaderNames.HOST, url.getHost() + ":" + url.getPort())
                .set(HttpHeaderNames.USER_AGENT, "berth-test/spdy (client-go)")
                .set(HttpHeaderNames.CONTENT_LENGTH, 0);
        protocols.forEach(p -> request.headers().add("X-Stream-Protocol-Version", p));
        request.headers().add(HttpHeaderNames.CONNECTION, "Upgrade").add(HttpHeaderNames.UPGRADE, "SPDY/3.1");
        channel.writeAndFlush(request);
        try {
            return upgraded.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            channel.close();
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            channel.close();
            throw new IOException("no answer to the upgrade request", e);
        }
    }

    public ExecResult exec(URI url, StreamRequest.Channels channels, byte[] stdin, TerminalSize... resizes)
            throws IOException {
        return exec(
                url,
                REMOTE_COMMAND_PROTOCOLS,
                channels,
                stdin == null ? null : new ByteArrayInputStream(stdin),
                resizes);
    }

    public ExecResult exec(URI url, StreamRequest.Channels channels, InputStream stdin, TerminalSize... resizes)
            throws IOException {
        return exec(url, REMOTE_COMMAND_PROTOCOLS, channels, stdin, resizes);
    }

    /**
     * Runs an exec or attach as client-go's remotecommand does: streams error, stdin, stdout, stderr (not with
     * a tty), resize (tty, v3 on) in that order; stdin copied then half-closed; the sizes sent as JSON lines;
     * stdout and stderr read to their end, then the error stream; then the connection closed.
     */
    public ExecResult exec(
            URI url,
            List<String> protocols,
            StreamRequest.Channels channels,
            InputStream stdin,
            TerminalSize... resizes)
            throws IOException {
        try (SpdyClientConnection conn = connect(url, protocols)) {
            String protocol = conn.protocol();
            var error = conn.createStream(Map.of("streamType", "error"));
            var in = channels.stdin() ? conn.createStream(Map.of("streamType", "stdin")) : null;
            var out = channels.stdout() ? conn.createStream(Map.of("streamType", "stdout")) : null;
            var err = channels.stderr() && !channels.tty() ? conn.createStream(Map.of("streamType", "stderr")) : null;
            boolean resizable =
                    !protocol.equals("channel.k8s.io") && !protocol.equals("v2.channel.k8s.io") && !protocol.isEmpty();
            var resize = channels.tty() && resizable ? conn.createStream(Map.of("streamType", "resize")) : null;

            Future<byte[]> errorBytes = threads.submit(() -> error.input().readAllBytes());
            if (resize != null) {
                for (TerminalSize size : resizes) {
                    resize.output()
                            .write(("{\"Width\":" + size.width() + ",\"Height\":" + size.height() + "}\n")
                                    .getBytes(StandardCharsets.UTF_8));
                }
            }
            if (in != null) {
                threads.submit(() -> {
                    try (OutputStream remote = in.output()) {
                        if (stdin != null) {
                            stdin.transferTo(remote);
                        }
                    }
                    return null;
                });
            }
            Future<byte[]> stdout =
                    threads.submit(() -> out == null ? new byte[0] : out.input().readAllBytes());
            Future<byte[]> stderr =
                    threads.submit(() -> err == null ? new byte[0] : err.input().readAllBytes());
            return new ExecResult(protocol, await(stdout), await(stderr), await(errorBytes));
        }
    }

    /** A port forward session: any number of connections over one SPDY connection, as kubectl multiplexes. */
    public PortForwardSession openSession(URI url) throws IOException {
        return new PortForwardSession(connect(url, PORT_FORWARD_PROTOCOLS));
    }

    public final class PortForwardSession implements AutoCloseable {
        private final SpdyClientConnection conn;
        private final AtomicInteger requestIds = new AtomicInteger();

        PortForwardSession(SpdyClientConnection conn) {
            this.conn = conn;
        }

        public SpdyClientConnection connection() {
            return conn;
        }

        /**
         * One forwarded connection, as client-go's handleConnection opens it: an error stream (half-closed at
         * once, read to its end in the background), then a data stream, both with {@code port} and
         * {@code requestID}.
         */
        public Connection connect(int port) throws IOException {
            String requestId = Integer.toString(requestIds.getAndIncrement());
            var error = conn.createStream(
                    Map.of("streamType", "error", "port", Integer.toString(port), "requestID", requestId));
            error.halfClose();
            Future<byte[]> errorBytes = threads.submit(() -> error.input().readAllBytes());
            var data = conn.createStream(
                    Map.of("streamType", "data", "port", Integer.toString(port), "requestID", requestId));
            return new Connection(data, errorBytes);
        }

        @Override
        public void close() {
            conn.close();
        }
    }

    /** A forwarded connection's two directions, and what the server said on its error stream. */
    public static final class Connection implements AutoCloseable {
        private final SpdyClientConnection.ClientStream data;
        private final Future<byte[]> errorBytes;

        Connection(SpdyClientConnection.ClientStream data, Future<byte[]> errorBytes) {
            this.data = data;
            this.errorBytes = errorBytes;
        }

        /** What the pod sends; ends when the pod closes its side. */
        public InputStream input() {
            return data.input();
        }

        /** To the pod; closing it half-closes (the pod reads end of stream). */
        public OutputStream output() {
            return data.output();
        }

        /** The error stream's text once the server ends it (empty: no error). */
        public String awaitError() throws IOException {
            return new String(await(errorBytes), StandardCharsets.UTF_8);
        }

        /** As client-go does when the remote side is done: resets the data stream. */
        @Override
        public void close() {
            data.reset();
        }
    }

    private static byte[] await(Future<byte[]> bytes) throws IOException {
        try {
            return bytes.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the server did not end the stream within " + TIMEOUT_SECONDS + " s");
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Takes the upgrade response and swaps the HTTP codec for SPDY on a 101. */
    private static final class Upgrade extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final CompletableFuture<SpdyClientConnection> upgraded;

        Upgrade(CompletableFuture<SpdyClientConnection> upgraded) {
            this.upgraded = upgraded;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            HttpHeaders headers = response.headers();
            boolean spdy = response.status().code() == 101
                    && headers.get(HttpHeaderNames.CONNECTION, "")
                            .toLowerCase(Locale.ROOT)
                            .contains("upgrade")
                    && headers.get(HttpHeaderNames.UPGRADE, "")
                            .toLowerCase(Locale.ROOT)
                            .contains("spdy/3.1");
            if (!spdy) {
                upgraded.completeExceptionally(new UpgradeRefusedException(
                        response.status().code(),
                        headers.copy(),
                        response.content().toString(StandardCharsets.UTF_8)));
                ctx.close();
                return;
            }
            SpdyClientConnection conn =
                    new SpdyClientConnection(ctx.channel(), headers.get("X-Stream-Protocol-Version", ""));
            ctx.pipeline().addLast("spdy", new SpdyCodec()).addLast("spdy-client", conn.new Frames());
            ctx.pipeline().remove(this);
            ctx.pipeline().remove("http-aggregate");
            ctx.pipeline().remove("http");
            upgraded.complete(conn);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            upgraded.completeExceptionally(new IOException("connection closed before the upgrade answer"));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            upgraded.completeExceptionally(cause);
            ctx.close();
        }
    }
}
