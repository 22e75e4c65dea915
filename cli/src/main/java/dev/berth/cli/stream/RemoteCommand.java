package dev.berth.cli.stream;

import dev.berth.cli.CliException;
import dev.berth.cli.sys.Terminal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A client of kubelet's remote command protocol over WebSocket ({@code v5.channel.k8s.io}, else {@code v4}), as
 * a streaming URL of Exec or Attach serves it: every message starts with its channel, 0 stdin, 1 stdout, 2
 * stderr, 3 the final status, 4 terminal size; in v5 {@code {255, 0}} closes stdin.
 */
public final class RemoteCommand {

    private static final String V5 = "v5.channel.k8s.io";
    private static final String V4 = "v4.channel.k8s.io";
    private static final byte STDIN = 0;
    private static final byte STDOUT = 1;
    private static final byte STDERR = 2;
    private static final byte ERROR = 3;
    private static final byte RESIZE = 4;
    private static final int CLOSE = 255;
    /** Ctrl-P Ctrl-Q, docker's detach keys. */
    private static final int CTRL_P = 0x10;

    private static final int CTRL_Q = 0x11;

    private final OutputStream stdout;
    private final OutputStream stderr;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final StringBuilder status = new StringBuilder();
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();
    private final Object sending = new Object();
    private volatile boolean detached;
    private WebSocket socket;

    private RemoteCommand(OutputStream stdout, OutputStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Connects to {@code url}, pumps {@code stdin} (null: none) until it ends, follows the terminal's size when a
     * {@code terminal} fd is given (negative: none), and returns the command's exit code once the runtime closes
     * the stream; -1 if the user detached.
     */
    public static int run(
            String url, InputStream stdin, OutputStream stdout, OutputStream stderr, int terminal, boolean detachable)
            throws InterruptedException {
        RemoteCommand command = new RemoteCommand(stdout, stderr);
        command.connect(url);
        if (terminal >= 0) {
            command.followSize(terminal);
        }
        if (stdin != null) {
            Thread pump = Thread.ofPlatform().daemon().name("stdin").start(() -> command.pump(stdin, detachable));
            pump.setUncaughtExceptionHandler((t, e) -> {});
        }
        try {
            command.closed.join();
        } catch (CompletionException e) {
            if (!command.detached) {
                throw new CliException("the stream broke: " + e.getCause().getMessage());
            }
        }
        if (command.detached) {
            return -1;
        }
        synchronized (command.status) {
            return command.status.isEmpty() ? 0 : ChannelStatus.exitCode(command.status.toString());
        }
    }

    private void connect(String url) {
        URI uri = URI.create(url.replaceFirst("^http", "ws"));
        try {
            socket = HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .subprotocols(V5, V4)
                    .buildAsync(uri, new Listener())
                    .join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof WebSocketHandshakeException handshake) {
                throw new CliException("the runtime refused the stream (HTTP "
                        + handshake.getResponse().statusCode() + ")");
            }
            throw new CliException("cannot reach the runtime's streaming server " + uri.getAuthority() + ": " + cause);
        }
    }

    private void followSize(int terminal) {
        Runnable resize = () -> Terminal.size(terminal)
                .ifPresent(size -> send(
                        RESIZE,
                        ("{\"Width\":" + size.columns() + ",\"Height\":" + size.rows() + "}")
                                .getBytes(StandardCharsets.US_ASCII)));
        resize.run();
        sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), signal -> resize.run());
    }

    private void pump(InputStream stdin, boolean detachable) {
        byte[] buffer = new byte[8192];
        boolean afterCtrlP = false;
        try {
            int n;
            while (!closed.isDone() && (n = stdin.read(buffer)) >= 0) {
                if (detachable) {
                    for (int i = 0; i < n; i++) {
                        if (afterCtrlP && buffer[i] == CTRL_Q) {
                            detached = true;
                            socket.abort();
                            closed.complete(null);
                            return;
                        }
                        afterCtrlP = buffer[i] == CTRL_P;
                    }
                }
                byte[] data = new byte[n];
                System.arraycopy(buffer, 0, data, 0, n);
                send(STDIN, data);
            }
            if (V5.equals(socket.getSubprotocol()) && !closed.isDone()) {
                synchronized (sending) {
                    socket.sendBinary(ByteBuffer.wrap(new byte[] {(byte) CLOSE, STDIN}), true)
                            .join();
                }
            }
        } catch (IOException | CompletionException e) {
            // the stream ended while stdin was read; the listener reports how
        }
    }

    private void send(byte channel, byte[] data) {
        ByteBuffer frame =
                ByteBuffer.allocate(data.length + 1).put(channel).put(data).flip();
        synchronized (sending) {
            if (!closed.isDone()) {
                socket.sendBinary(frame, true).join();
            }
        }
    }

    private final class Listener implements WebSocket.Listener {
        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            message.writeBytes(bytes);
            if (last) {
                byte[] whole = message.toByteArray();
                message.reset();
                deliver(whole);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }

        private void deliver(byte[] whole) {
            if (whole.length == 0) {
                return;
            }
            try {
                switch (whole[0]) {
                    case STDOUT -> write(stdout, whole);
                    case STDERR -> write(stderr, whole);
                    case ERROR -> {
                        synchronized (status) {
                            status.append(new String(whole, 1, whole.length - 1, StandardCharsets.UTF_8));
                        }
                    }
                    default -> {
                        // stdin echoes and unknown channels carry nothing for the client
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void write(OutputStream out, byte[] whole) throws IOException {
            out.write(whole, 1, whole.length - 1);
            out.flush();
        }
    }
}
