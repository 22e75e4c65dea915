package dev.berth.streaming.websocket;

import dev.berth.runtime.RemoteStreams;
import dev.berth.runtime.TerminalSize;
import dev.berth.streaming.ContainerStreams;
import dev.berth.streaming.PodPorts;
import dev.berth.streaming.RemoteCommandException;
import dev.berth.streaming.StreamRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * In-test backends: "containers" whose commands are small scripts over the client's streams, and pod ports
 * that are 127.0.0.1 ports. They record what a test checks (stdin's end, the client's leaving, resizes).
 *
 * <p>Commands: {@code cat} (stdin to stdout until its end), {@code line} (one line of stdin to stdout),
 * {@code fail CODE TEXT} (TEXT to stderr, exit CODE), {@code big N} (N bytes to stdout in one write),
 * {@code resize N} (the next N sizes to stdout as WxH lines), {@code stream} (writes until the client leaves),
 * {@code missing} (cannot start).
 */
final class TestBackends implements ContainerStreams, PodPorts {

    final CompletableFuture<Void> stdinEnded = new CompletableFuture<>();
    final CompletableFuture<Void> clientGoneSeen = new CompletableFuture<>();
    final CompletableFuture<IOException> writeFailed = new CompletableFuture<>();
    final List<TerminalSize> resizes = new CopyOnWriteArrayList<>();
    final List<String> connectedPods = new CopyOnWriteArrayList<>();

    @Override
    public int exec(StreamRequest.Exec exec, RemoteStreams streams) throws IOException, InterruptedException {
        List<String> command = exec.command();
        return switch (command.getFirst()) {
            case "cat" -> {
                streams.stdin().transferTo(streams.stdout());
                stdinEnded.complete(null);
                yield 0;
            }
            case "line" -> {
                streams.stdout().write(readLine(streams.stdin()));
                yield 0;
            }
            case "fail" -> {
                streams.stderr().write(command.get(2).getBytes(StandardCharsets.UTF_8));
                yield Integer.parseInt(command.get(1));
            }
            case "big" -> {
                byte[] bytes = new byte[Integer.parseInt(command.get(1))];
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = (byte) (i * 31);
                }
                streams.stdout().write(bytes);
                yield 0;
            }
            case "resize" -> {
                StringBuilder seen = new StringBuilder();
                for (int i = 0; i < Integer.parseInt(command.get(1)); i++) {
                    Optional<TerminalSize> size = streams.resizes().poll(10_000);
                    if (size.isEmpty()) {
                        break;
                    }
                    resizes.add(size.get());
                    seen.append(size.get().width())
                            .append('x')
                            .append(size.get().height())
                            .append('\n');
                }
                streams.stdout().write(seen.toString().getBytes(StandardCharsets.UTF_8));
                yield 0;
            }
            case "stream" -> stream(streams);
            case "missing" -> throw new RemoteCommandException("executable file not found in $PATH");
            default -> throw new IllegalArgumentException(command.getFirst());
        };
    }

    private int stream(RemoteStreams streams) throws InterruptedException {
        streams.clientGone().thenRun(() -> clientGoneSeen.complete(null));
        Thread.ofVirtual().start(() -> {
            try {
                if (streams.stdin().read() < 0) {
                    stdinEnded.complete(null);
                }
            } catch (IOException e) {
                stdinEnded.completeExceptionally(e);
            }
        });
        byte[] tick = "tick\n".getBytes(StandardCharsets.UTF_8);
        try {
            while (true) {
                streams.stdout().write(tick);
                Thread.sleep(5);
            }
        } catch (IOException e) {
            writeFailed.complete(e);
        }
        return 0;
    }

    @Override
    public void attach(String containerId, boolean tty, RemoteStreams streams) throws IOException {
        streams.stdout().write(readLine(streams.stdin()));
    }

    @Override
    public SocketChannel connect(String podSandboxId, int port) throws IOException {
        connectedPods.add(podSandboxId);
        return SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
    }

    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') {
                break;
            }
        }
        return line.toByteArray();
    }
}
