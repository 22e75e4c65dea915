package dev.berth.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The client's end of a WebSocket port forward: port {@code i} of the request has data channel {@code 2i} and
 * error channel {@code 2i+1}, each opened by the server with the port number (uint16, little endian). A virtual
 * thread sorts the server's messages into per-port streams.
 */
public final class PortForwardSocket implements AutoCloseable {

    private static final int CHUNK = 32 * 1024;
    private static final byte[] EOF = new byte[0];

    private final ChannelSocket channels;
    private final Duration timeout;
    private final Map<Integer, CompletableFuture<Integer>> announced = new ConcurrentHashMap<>();
    private final Map<Integer, LinkedBlockingQueue<byte[]>> data = new ConcurrentHashMap<>();
    private final Map<Integer, ByteArrayOutputStream> errors = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    PortForwardSocket(ChannelSocket channels, Duration timeout) {
        this.channels = channels;
        this.timeout = timeout;
        Thread.ofVirtual().name("port-forward-client").start(this::pump);
    }

    public ChannelSocket channels() {
        return channels;
    }

    /** The port the server announced for the request's {@code index}th port (on both of its channels). */
    public int port(int index) throws IOException {
        int onData = await(announced(2 * index));
        int onError = await(announced(2 * index + 1));
        if (onData != onError) {
            throw new IOException("port " + index + " announced as " + onData + " and " + onError);
        }
        return onData;
    }

    /** What the pod sends on the {@code index}th port; ends when the server closes the connection. */
    public InputStream input(int index) {
        LinkedBlockingQueue<byte[]> queue = queue(index);
        return new InputStream() {
            private byte[] current = new byte[0];
            private int position;
            private boolean finished;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (length == 0) {
                    return 0;
                }
                while (position == current.length) {
                    if (finished) {
                        return -1;
                    }
                    byte[] next = poll(queue);
                    if (next == EOF) {
                        finished = true;
                        return -1;
                    }
                    current = next;
                    position = 0;
                }
                int n = Math.min(length, current.length - position);
                System.arraycopy(current, position, buffer, offset, n);
                position += n;
                return n;
            }
        };
    }

    /** Sends to the pod on the {@code index}th port, in messages of at most 32 KiB. */
    public OutputStream output(int index) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                for (int done = 0; done < length; done += CHUNK) {
                    int n = Math.min(CHUNK, length - done);
                    channels.send(2 * index, Arrays.copyOfRange(bytes, offset + done, offset + done + n));
                }
            }
        };
    }

    /** The error channel's text for the {@code index}th port so far (complete once {@link #awaitClosed}). */
    public String error(int index) {
        ByteArrayOutputStream text = errors.get(2 * index + 1);
        return text == null ? "" : text.toString(StandardCharsets.UTF_8);
    }

    /** The error text of port {@code index} once some has come, or what there is when the connection ends. */
    public String awaitError(int index, java.time.Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (error(index).isEmpty() && !ended.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return error(index);
    }

    /** Waits for the server to close the connection and returns its close status (-1: broken, no close frame). */
    public int awaitClosed() throws IOException {
        await(ended);
        return channels.closeCode();
    }

    private void pump() {
        try {
            for (Optional<ChannelSocket.Message> next = channels.take(); next.isPresent(); next = channels.take()) {
                ChannelSocket.Message message = next.get();
                int channel = message.channel();
                CompletableFuture<Integer> port = announced(channel);
                if (!port.isDone()) {
                    byte[] number = message.data();
                    port.complete(number.length == 2 ? (number[0] & 0xFF) | (number[1] & 0xFF) << 8 : -1);
                } else if (channel % 2 == 0) {
                    queue(channel / 2).add(message.data());
                } else {
                    errors.computeIfAbsent(channel, c -> new ByteArrayOutputStream())
                            .writeBytes(message.data());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // ended first: a queue made from now on starts with its end (see queue)
            ended.complete(null);
            data.values().forEach(queue -> queue.add(EOF));
            announced.values().forEach(port -> port.complete(-1));
        }
    }

    private CompletableFuture<Integer> announced(int channel) {
        return announced.computeIfAbsent(channel, c -> new CompletableFuture<>());
    }

    private LinkedBlockingQueue<byte[]> queue(int index) {
        LinkedBlockingQueue<byte[]> queue = data.computeIfAbsent(index, i -> new LinkedBlockingQueue<>());
        if (ended.isDone() && queue.isEmpty()) {
            queue.add(EOF);
        }
        return queue;
    }

    private byte[] poll(LinkedBlockingQueue<byte[]> queue) throws IOException {
        try {
            byte[] next = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (next == null) {
                throw new IOException("no data from the pod within " + timeout);
            }
            return next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private <T> T await(CompletableFuture<T> future) throws IOException {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("port forward: nothing within " + timeout, e);
        }
    }

    @Override
    public void close() {
        channels.close();
    }
}
