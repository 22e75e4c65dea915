package dev.berth.cli.command;

import com.google.protobuf.ByteString;
import dev.berth.api.v1.BuildEvent;
import dev.berth.api.v1.BuildGrpc;
import dev.berth.api.v1.BuildInput;
import dev.berth.api.v1.BuildResult;
import dev.berth.api.v1.StepFinished;
import dev.berth.api.v1.StepOutput;
import dev.berth.api.v1.StepStarted;
import dev.berth.cli.Berth;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The build part of {@link AotTraining}: a real {@code berth build -q} of a small context, walked, tarred and
 * streamed to a stand-in Build service on a socket of its own that answers as berthd does (steps, output, the
 * result). No daemon builds anything. Before, a build's CLI loaded ~800 classes the cache lacked (its options,
 * the context walk and tar, the streaming call, the events) and spent ~0.9 s of CPU where {@code ps} spends 0.3.
 */
final class AotBuildTraining {

    private AotBuildTraining() {}

    static void run() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("berth-aot-build-");
        try {
            Path context = Files.createDirectories(dir.resolve("context/src")).getParent();
            Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY src/ /src/\n");
            Files.writeString(context.resolve(".dockerignore"), "*.tmp\n");
            Files.writeString(context.resolve("src/a.txt"), "a\n".repeat(4096));
            Files.writeString(context.resolve("src/b.tmp"), "left out\n");
            Path socket = dir.resolve("build.sock");
            // a platform thread: an event loop holds its carrier in epoll_wait, and the CLI's own loop holds another
            EpollEventLoopGroup loop =
                    new EpollEventLoopGroup(1, Thread.ofPlatform().daemon().factory());
            Server server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                    .channelType(EpollServerDomainSocketChannel.class)
                    .bossEventLoopGroup(loop)
                    .workerEventLoopGroup(loop)
                    .addService(new StandInBuilds())
                    .build()
                    .start();
            try {
                Berth.execute(new String[] {
                    "--endpoint", "unix://" + socket, "build", "-q", "-t", "train/app:1", context.toString()
                });
            } finally {
                server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
            }
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Takes the whole context, then answers with one step's events and a result. */
    private static final class StandInBuilds extends BuildGrpc.BuildImplBase {

        @Override
        public StreamObserver<BuildInput> build(StreamObserver<BuildEvent> events) {
            return new StreamObserver<>() {
                @Override
                public void onNext(BuildInput input) {
                    // the options, then the context's chunks: a build would unpack them
                }

                @Override
                public void onError(Throwable t) {
                    // the client went: nothing to answer
                }

                @Override
                public void onCompleted() {
                    events.onNext(BuildEvent.newBuilder()
                            .setStarted(StepStarted.newBuilder()
                                    .setIndex(1)
                                    .setTotal(2)
                                    .setInstruction("COPY src/ /src/")
                                    .setFile("Dockerfile")
                                    .setLine(2))
                            .build());
                    events.onNext(BuildEvent.newBuilder()
                            .setOutput(StepOutput.newBuilder().setIndex(1).setData(ByteString.copyFromUtf8("copied\n")))
                            .build());
                    events.onNext(BuildEvent.newBuilder()
                            .setFinished(StepFinished.newBuilder()
                                    .setIndex(1)
                                    .setDurationNanos(1_000_000)
                                    .setLayerDigest("sha256:" + "0".repeat(64))
                                    .setLayerSize(4096))
                            .build());
                    events.onNext(BuildEvent.newBuilder()
                            .setResult(BuildResult.newBuilder()
                                    .setImageId("sha256:" + "1".repeat(64))
                                    .setManifestDigest("sha256:" + "2".repeat(64))
                                    .addTags("train/app:1"))
                            .build());
                    events.onCompleted();
                }
            };
        }
    }
}
