package dev.berth.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A client's end of a {@code channel.k8s.io} WebSocket (kubectl's view of kubelet's streaming server): every
 * message is one channel's, framed as the negotiated sub-protocol says (a leading channel byte, or a digit
 * and base64 text for the {@code base64.} variants). Messages are queued in arrival order for {@link #receive}.
 */
public final class ChannelSocket implements AutoCloseable {

    /** One message as the server framed it: its channel and its (decoded) payload. */
    public record Message(int channel, byte[] data) {

        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Message[" + channel + ", " + data.length + " bytes]";
        }
    }

    private static final Message END = new Message(-1, new byte[0]);
    private static final int STREAM_CLOSE = 255;

    private final LinkedBlockingQueue<Message> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final LinkedBlockingQueue<byte[]> pongs = new LinkedBlockingQueue<>();
    private final Duration timeout;
    private volatile WebSocket socket;
    private volatile Throwable failure;
    private boolean ended;

    ChannelSocket(Duration timeout) {
        this.timeout = timeout;
    }

    void opened(WebSocket socket) {
        this.socket = socket;
    }

    /** The sub-protocol the server chose; empty when it chose none (the legacy framing). */
    public String subprotocol() {
        return socket.getSubprotocol();
    }

    public boolean base64() {
        return subprotocol().contains("base64.");
    }

    /** Sends {@code data} on {@code channel} as one message. */
    public synchronized void send(int channel, byte[] data) throws IOException {
        if (base64()) {
            await(socket.sendText((char) ('0' + channel) + Base64.getEncoder().encodeToString(data), true));
            return;
        }
        byte[] frame = new byte[data.length + 1];
        frame[0] = (byte) channel;
        System.arraycopy(data, 0, frame, 1, data.length);
        await(socket.sendBinary(ByteBuffer.wrap(frame), true));
    }

    /** Sends {@code data} on {@code channel} as one binary message split into {@code pieces} frames. */
    public synchronized void sendFragmented(int channel, byte[] data, int pieces) throws IOException {
        byte[] frame = new byte[data.length + 1];
        frame[0] = (byte) channel;
        System.arraycopy(data, 0, frame, 1, data.length);
        int size = (frame.length + pieces - 1) / pieces;
        for (int offset = 0; offset < frame.length; offset += size) {
            int end = Math.min(frame.length, offset + size);
            await(socket.sendBinary(ByteBuffer.wrap(frame, offset, end - offset), end == frame.length));
        }
    }

    /** v5's half-close: the server's reader of {@code channel} (stdin) sees end of stream. */
    public synchronized void closeChannel(int channel) throws IOException {
        await(socket.sendBinary(ByteBuffer.wrap(new byte[] {(byte) STREAM_CLOSE, (byte) channel}), true));
    }

    /** Any bytes as one binary message, for tests of malformed input. */
    public synchronized void sendRaw(byte[] frame) throws IOException {
        await(socket.sendBinary(ByteBuffer.wrap(frame), true));
    }

    /** The next message, or empty once the server has closed the connection; fails after the timeout. */
    public Optional<Message> receive() throws IOException {
        synchronized (received) {
            if (ended) {
                return Optional.empty();
            }
        }
        Message next;
        try {
            next = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (next == null) {
            throw new IOException("no message from the server within " + timeout);
        }
        if (next == END) {
            synchronized (received) {
                ended = true;
            }
            return Optional.empty();
        }
        return Optional.of(next);
    }

    /** Like {@link #receive} without a time limit: for a pump that lives as long as the connection. */
    Optional<Message> take() throws InterruptedException {
        Message next = received.take();
        if (next == END) {
            received.add(END);
            return Optional.empty();
        }
        return Optional.of(next);
    }

    /** The status of the server's close frame, waiting for it; -1 when the connection broke without one. */
    public int closeCode() throws IOException {
        try {
            return closeCode.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the server did not close the connection within " + timeout, e);
        }
    }

    /** Why the connection broke, if it broke rather than closed. */
    public Throwable failure() {
        return failure;
    }

    /** Sends a ping and returns the payload of the pong that answers it. */
    public byte[] ping(byte[] payload) throws IOException {
        synchronized (this) {
            await(socket.sendPing(ByteBuffer.wrap(payload)));
        }
        try {
            byte[] pong = pongs.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (pong == null) {
                throw new IOException("no pong within " + timeout);
            }
            return pong;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Goes away without a close frame, as a killed client does. */
    public void abort() {
        socket.abort();
    }

    /** A normal close (1000), then waits briefly for the server's answer. */
    @Override
    public void close() {
        if (socket == null || socket.isOutputClosed()) {
            if (socket != null) {
                socket.abort();
            }
            return;
        }
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            closeCode.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the server is gone already
        } finally {
            socket.abort();
        }
    }

    private void await(CompletableFuture<WebSocket> sent) throws IOException {
        try {
            sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IOException("send failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("send not done within " + timeout, e);
        }
    }

    /** Reassembles fragmented messages and decodes them per the negotiated framing. */
    WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
            private final StringBuilder text = new StringBuilder();

            @Override
            public void onOpen(WebSocket webSocket) {
                webSocket.request(1);
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                byte[] chunk = new byte[data.remaining()];
                data.get(chunk);
                binary.writeBytes(chunk);
                if (last) {
                    byte[] message = binary.toByteArray();
                    binary.reset();
                    if (message.length > 0) {
                        received.add(new Message(message[0] & 0xFF, Arrays.copyOfRange(message, 1, message.length)));
                    }
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    String message = text.toString();
                    text.setLength(0);
                    if (!message.isEmpty()) {
                        received.add(new Message(
                                message.charAt(0) - '0', Base64.getDecoder().decode(message.substring(1))));
                    }
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
                byte[] payload = new byte[message.remaining()];
                message.get(payload);
                pongs.add(payload);
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closeCode.complete(statusCode);
                received.add(END);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                failure = error;
                closeCode.complete(-1);
                received.add(END);
            }
        };
    }
}
