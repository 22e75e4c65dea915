package dev.berth.cli.grpc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A stand-in gRPC server for the CLI's AOT training: on a unix socket, it answers each call with the messages
 * its method's function makes of the request's messages, once the request is complete. Enough for the canned
 * calls the training makes, and built on the channel's own frames, so the training JVM loads no server
 * framework into the cache every start would then load. No flow control of its own: its answers are small.
 */
public final class CannedServer implements AutoCloseable {

    private final ServerSocketChannel server;
    private final Path socket;
    private final Map<String, Function<List<byte[]>, List<byte[]>>> answers;

    private CannedServer(
            ServerSocketChannel server, Path socket, Map<String, Function<List<byte[]>, List<byte[]>>> answers) {
        this.server = server;
        this.socket = socket;
        this.answers = answers;
    }

    /** Serves on the socket: full method name ({@code package.Service/Method}) to answer. */
    public static CannedServer start(Path socket, Map<String, Function<List<byte[]>, List<byte[]>>> answers)
            throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        CannedServer canned = new CannedServer(server, socket, Map.copyOf(answers));
        Thread.ofPlatform().daemon().name("canned-grpc-accept").start(canned::acceptLoop);
        return canned;
    }

    private void acceptLoop() {
        try {
            while (true) {
                SocketChannel connection = server.accept();
                Thread.ofPlatform().daemon().name("canned-grpc-connection").start(() -> serve(connection));
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void serve(SocketChannel connection) {
        try (connection) {
            FrameReader reader = new FrameReader(connection, Frame.DEFAULT_MAX_FRAME_SIZE);
            FrameWriter writer = new FrameWriter(connection);
            reader.readFully(new byte[FrameWriter.PREFACE.length]);
            writer.settings();
            writer.flush();
            HpackDecoder hpack = new HpackDecoder(Frame.DEFAULT_HEADER_TABLE_SIZE);
            Map<Integer, String> paths = new HashMap<>();
            Map<Integer, ByteArrayOutputStream> bodies = new HashMap<>();
            while (true) {
                Frame frame = reader.read();
                switch (frame.type()) {
                    case Frame.SETTINGS -> {
                        if (!frame.has(Frame.ACK)) {
                            writer.settingsAck();
                        }
                    }
                    case Frame.PING -> {
                        if (!frame.has(Frame.ACK)) {
                            writer.pingAck(frame.payload());
                        }
                    }
                    case Frame.HEADERS -> {
                        // the channel's blocks: one frame, neither padded nor prioritised
                        String path = GrpcHeaders.value(hpack.decode(frame.payload()), ":path");
                        paths.put(frame.streamId(), path);
                        bodies.put(frame.streamId(), new ByteArrayOutputStream());
                    }
                    case Frame.DATA -> {
                        ByteArrayOutputStream body = bodies.get(frame.streamId());
                        if (body != null) {
                            body.writeBytes(frame.payload());
                        }
                        if (frame.payload().length > 0) {
                            writer.windowUpdate(0, frame.payload().length);
                            writer.windowUpdate(frame.streamId(), frame.payload().length);
                        }
                    }
                    case Frame.RST_STREAM -> {
                        paths.remove(frame.streamId());
                        bodies.remove(frame.streamId());
                    }
                    case Frame.GOAWAY -> {
                        return;
                    }
                    default -> {
                        // nothing the training's calls need
                    }
                }
                if ((frame.type() == Frame.HEADERS || frame.type() == Frame.DATA) && frame.has(Frame.END_STREAM)) {
                    ByteArrayOutputStream body = bodies.remove(frame.streamId());
                    if (body != null) {
                        answer(writer, frame.streamId(), paths.remove(frame.streamId()), body.toByteArray());
                    }
                }
                writer.flush();
            }
        } catch (IOException | Http2Exception | RuntimeException e) {
            // the client went, or sent what a stand-in need not understand
        }
    }

    private void answer(FrameWriter writer, int streamId, String path, byte[] body) {
        Function<List<byte[]>, List<byte[]>> answer = path == null ? null : answers.get(path.substring(1));
        if (answer == null) {
            writer.headers(
                    streamId,
                    HpackEncoder.encode(List.of(
                            new Header(":status", "200"),
                            new Header("content-type", "application/grpc"),
                            new Header("grpc-status", "12"))),
                    true,
                    Frame.DEFAULT_MAX_FRAME_SIZE);
            return;
        }
        ArrayDeque<MessageDeframer.Message> requests = new ArrayDeque<>();
        new MessageDeframer(Integer.MAX_VALUE).feed(body, 0, body.length, requests);
        List<byte[]> messages = new ArrayList<>();
        requests.forEach(message -> messages.add(message.bytes()));
        writer.headers(
                streamId,
                HpackEncoder.encode(
                        List.of(new Header(":status", "200"), new Header("content-type", "application/grpc"))),
                false,
                Frame.DEFAULT_MAX_FRAME_SIZE);
        for (byte[] message : answer.apply(messages)) {
            byte[] framed = MessageDeframer.frame(message);
            for (int offset = 0; offset < framed.length; offset += Frame.DEFAULT_MAX_FRAME_SIZE) {
                int n = Math.min(Frame.DEFAULT_MAX_FRAME_SIZE, framed.length - offset);
                writer.data(streamId, framed, offset, n, false);
            }
        }
        writer.headers(
                streamId,
                HpackEncoder.encode(List.of(new Header("grpc-status", "0"))),
                true,
                Frame.DEFAULT_MAX_FRAME_SIZE);
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
    }
}
