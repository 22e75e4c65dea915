package dev.berth.streaming.spdy;

import dev.berth.runtime.RemoteStreams;
import dev.berth.runtime.TerminalSize;
import dev.berth.streaming.ContainerStreams;
import dev.berth.streaming.PodPorts;
import dev.berth.streaming.RemoteCommandException;
import dev.berth.streaming.StreamRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** In-test backends: commands that echo, count, wait and fail; ports on 127.0.0.1 of this host. */
final class FakeBackends implements ContainerStreams, PodPorts {

    final AtomicInteger running = new AtomicInteger();
    final List<TerminalSize> resizes = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> stdinEnded = new CompletableFuture<>();
    final CompletableFuture<Void> clientGone = new CompletableFuture<>();
    final CompletableFuture<Void> blocking = new CompletableFuture<>();
    volatile boolean sawStderr;

    /**
     * {@code echo [code]}: stdin to stdout, "to stderr" on stderr, exit code; {@code sha256}: the digest of
     * stdin; {@code generate N}: N bytes on stdout; {@code resizes W}: records sizes until one W wide;
     * {@code block}: waits for the client to go; {@code missing}: cannot start.
     */
    @Override
    public int exec(StreamRequest.Exec exec, RemoteStreams streams) throws IOException, InterruptedException {
        List<String> command = exec.command();
        running.incrementAndGet();
        try {
            sawStderr = streams.stderr() != null;
            return switch (command.getFirst()) {
                case "echo" -> {
                    streams.stdin().transferTo(streams.stdout());
                    stdinEnded.complete(null);
                    if (streams.stderr() != null) {
                        streams.stderr().write("to stderr\n".getBytes(StandardCharsets.UTF_8));
                    }
                    yield command.size() > 1 ? Integer.parseInt(command.get(1)) : 0;
                }
                case "sha256" -> {
                    streams.stdout().write(sha256(streams.stdin()).getBytes(StandardCharsets.UTF_8));
                    yield 0;
                }
                case "generate" -> {
                    generate(streams.stdout(), Long.parseLong(command.get(1)));
                    yield 0;
                }
                case "resizes" -> {
                    int lastWidth = Integer.parseInt(command.get(1));
                    while (resizes.isEmpty() || resizes.getLast().width() != lastWidth) {
                        Optional<TerminalSize> size = streams.resizes().poll(10_000);
                        if (size.isEmpty()) {
                            break;
                        }
                        resizes.add(size.get());
                    }
                    yield 0;
                }
                case "block" -> {
                    blocking.complete(null);
                    try {
                        streams.clientGone().get(20, TimeUnit.SECONDS);
                        clientGone.complete(null);
                        // a real process dies now; its output has nowhere to go
                        streams.stdout().write("too late".getBytes(StandardCharsets.UTF_8));
                    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                        throw new IOException(e);
                    } catch (IOException expected) {
                        // writes fail once the client is gone
                    }
                    yield 137;
                }
                default ->
                    throw new RemoteCommandException("executable file not found in $PATH: " + command.getFirst());
            };
        } finally {
            running.decrementAndGet();
        }
    }

    @Override
    public void attach(String containerId, boolean tty, RemoteStreams streams) throws IOException {
        streams.stdin().transferTo(streams.stdout());
    }

    @Override
    public SocketChannel connect(String podSandboxId, int port) throws IOException {
        return SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
    }

    /** Deterministic bytes, so both ends can digest the same stream. */
    static void generate(OutputStream out, long size) throws IOException {
        generated(size).transferTo(out);
    }

    static InputStream generated(long size) {
        return new InputStream() {
            private long left = size;
            private int seed;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(length, left);
                for (int i = 0; i < n; i++) {
                    buffer[offset + i] = (byte) (seed * 31 + (seed >>> 8));
                    seed++;
                }
                left -= n;
                return n;
            }
        };
    }

    static String sha256(InputStream in) throws IOException {
        MessageDigest digest = digest();
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String sha256Of(long size) throws IOException {
        MessageDigest digest = digest();
        generate(
                new OutputStream() {
                    @Override
                    public void write(int b) {
                        digest.update((byte) b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        digest.update(b, off, len);
                    }
                },
                size);
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
