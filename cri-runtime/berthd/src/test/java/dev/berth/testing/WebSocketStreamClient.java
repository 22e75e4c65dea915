package dev.berth.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.runtime.TerminalSize;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A WebSocket client of a CRI streaming server, speaking what kubectl and the API server speak to kubelet:
 * exec and attach over the {@code channel.k8s.io} sub-protocols, port forward with its port-numbered channel
 * pairs. Built on the JDK's WebSocket client; every wait is bounded by the client's timeout.
 */
public final class WebSocketStreamClient implements AutoCloseable {

    public static final String V5 = "v5.channel.k8s.io";
    public static final String V4 = "v4.channel.k8s.io";
    public static final String V4_BASE64 = "v4.base64.channel.k8s.io";
    public static final String V1 = "channel.k8s.io";
    public static final String V1_BASE64 = "base64.channel.k8s.io";

    public static final int STDIN = 0;
    public static final int STDOUT = 1;
    public static final int STDERR = 2;
    public static final int ERROR = 3;
    public static final int RESIZE = 4;

    private static final int CHUNK = 32 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Duration timeout;

    public WebSocketStreamClient(Duration timeout) {
        this.timeout = timeout;
    }

    public WebSocketStreamClient() {
        this(Duration.ofSeconds(20));
    }

    /** The upgrade was answered with an HTTP status instead of 101. */
    public static final class RefusedException extends IOException {
        private final int status;

        RefusedException(int status, Throwable cause) {
            super("the server refused the WebSocket upgrade with HTTP " + status, cause);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /**
     * What a remote command left: its output per channel, the error channel's text, the close status, and
     * every message in arrival order (kubelet opens with an empty one on the lowest channel it writes).
     */
    public record ExecResult(
            String subprotocol,
            byte[] stdout,
            byte[] stderr,
            String error,
            List<ChannelSocket.Message> messages,
            int closeCode) {

        public String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        public String stderrText() {
            return new String(stderr, StandardCharsets.UTF_8);
        }

        /** The error channel's {@code metav1.Status} (v4 and later). */
        public JsonNode status() throws IOException {
            return JSON.readTree(error);
        }

        /**
         * The exit code the error channel reports: a v4+ Status (Success, or NonZeroExitCode with its ExitCode
         * cause) or, before v4, nothing for 0 and a text ending in the exit status. Fails when the error
         * channel reports something else (the command could not run).
         */
        public int exitCode() throws IOException {
            if (subprotocol.equals(V4) || subprotocol.equals(V4_BASE64) || subprotocol.equals(V5)) {
                JsonNode status = status();
                if ("Success".equals(status.path("status").asText())) {
                    return 0;
                }
                if ("NonZeroExitCode".equals(status.path("reason").asText())) {
                    for (JsonNode cause : status.path("details").path("causes")) {
                        if ("ExitCode".equals(cause.path("reason").asText())) {
                            return Integer.parseInt(cause.path("message").asText());
                        }
                    }
                }
                throw new IllegalStateException("the error channel reports no exit code: " + error);
            }
            if (error.isEmpty()) {
                return 0;
            }
            Matcher code = Pattern.compile("exit status (\\d+)$").matcher(error);
            if (!code.find()) {
                throw new IllegalStateException("the error channel reports no exit code: " + error);
            }
            return Integer.parseInt(code.group(1));
        }
    }

    /**
     * Opens a channel connection to {@code url} (http, https, ws or wss) offering {@code subprotocols} in order
     * of preference; none offered means kubelet's legacy framing. A refused upgrade is a {@link RefusedException}.
     */
    public ChannelSocket connect(URI url, String... subprotocols) throws IOException {
        ChannelSocket channels = new ChannelSocket(timeout);
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(timeout);
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        try {
            channels.opened(builder.buildAsync(webSocketUri(url), channels.listener())
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS));
            return channels;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                throw new RefusedException(refused.getResponse().statusCode(), refused);
            }
            throw new IOException("cannot open " + url + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no WebSocket upgrade from " + url + " within " + timeout, e);
        }
    }

    /**
     * Runs an exec or attach to its end: sends the resizes, then {@code stdin} (may be null), then, when
     * {@code closeStdin}, v5's half-close of stdin; collects everything until the server closes.
     *
     * @param subprotocol the one sub-protocol to offer; null offers none
     */
    public ExecResult exec(URI url, String subprotocol, byte[] stdin, boolean closeStdin, TerminalSize... resizes)
            throws IOException {
        if (closeStdin && !V5.equals(subprotocol)) {
            throw new IllegalArgumentException("only " + V5 + " can close stdin and keep the connection");
        }
        try (ChannelSocket channels = subprotocol == null ? connect(url) : connect(url, subprotocol)) {
            for (TerminalSize size : resizes) {
                channels.send(RESIZE, resizeMessage(size));
            }
            if (stdin != null) {
                for (int offset = 0; offset < stdin.length; offset += CHUNK) {
                    channels.send(STDIN, Arrays.copyOfRange(stdin, offset, Math.min(stdin.length, offset + CHUNK)));
                }
            }
            if (closeStdin) {
                channels.closeChannel(STDIN);
            }
            return collect(channels);
        }
    }

    /** Reads {@code channels} until the server closes it. */
    public static ExecResult collect(ChannelSocket channels) throws IOException {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        ByteArrayOutputStream error = new ByteArrayOutputStream();
        List<ChannelSocket.Message> messages = new ArrayList<>();
        for (Optional<ChannelSocket.Message> next = channels.receive(); next.isPresent(); next = channels.receive()) {
            ChannelSocket.Message message = next.get();
            messages.add(message);
            switch (message.channel()) {
                case STDOUT -> stdout.writeBytes(message.data());
                case STDERR -> stderr.writeBytes(message.data());
                case ERROR -> error.writeBytes(message.data());
                default -> throw new IOException("message on unexpected channel " + message.channel());
            }
        }
        return new ExecResult(
                channels.subprotocol(),
                stdout.toByteArray(),
                stderr.toByteArray(),
                error.toString(StandardCharsets.UTF_8),
                List.copyOf(messages),
                channels.closeCode());
    }

    /** The resize channel's message: {@code {"Width":…,"Height":…}}, as kubectl sends it. */
    public static byte[] resizeMessage(TerminalSize size) {
        return ("{\"Width\":" + size.width() + ",\"Height\":" + size.height() + "}").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Opens a port forward; the ports are the CRI request's or, when it named none, the URL's {@code ?port=}
     * list. Offers {@code subprotocols} (none: kubelet's legacy framing).
     */
    public PortForwardSocket forward(URI url, String... subprotocols) throws IOException {
        return new PortForwardSocket(connect(url, subprotocols), timeout);
    }

    private static URI webSocketUri(URI url) {
        String scheme = switch (url.getScheme()) {
            case "http", "ws" -> "ws";
            case "https", "wss" -> "wss";
            default -> throw new IllegalArgumentException("not an HTTP or WebSocket URL: " + url);
        };
        return URI.create(scheme + url.toString().substring(url.getScheme().length()));
    }

    @Override
    public void close() {
        http.close();
    }
}
