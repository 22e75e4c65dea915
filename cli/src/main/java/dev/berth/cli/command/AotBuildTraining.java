package dev.berth.cli.command;

import com.google.protobuf.ByteString;
import dev.berth.api.v1.BuildEvent;
import dev.berth.api.v1.BuildGrpc;
import dev.berth.api.v1.BuildResult;
import dev.berth.api.v1.StepFinished;
import dev.berth.api.v1.StepOutput;
import dev.berth.api.v1.StepStarted;
import dev.berth.cli.Berth;
import dev.berth.cli.grpc.CannedServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The build part of {@link AotTraining}: a real {@code berth build -q} of a small context, walked, tarred and
 * streamed to a stand-in Build service on a socket of its own ({@link CannedServer}, no server framework in
 * the cache) that answers as berthd does (steps, output, the result). No daemon builds anything. Before, a build's CLI loaded ~800 classes the cache lacked (its options,
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
            try (CannedServer server = CannedServer.start(
                    socket, Map.of(BuildGrpc.getBuildMethod().getFullMethodName(), requests -> buildEvents()))) {
                Berth.execute(new String[] {
                    "--endpoint", "unix://" + socket, "build", "-q", "-t", "train/app:1", context.toString()
                });
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

    /** As berthd answers a whole context: one step's events and a result. */
    private static List<byte[]> buildEvents() {
        return List.of(
                BuildEvent.newBuilder()
                        .setStarted(StepStarted.newBuilder()
                                .setIndex(1)
                                .setTotal(2)
                                .setInstruction("COPY src/ /src/")
                                .setFile("Dockerfile")
                                .setLine(2))
                        .build()
                        .toByteArray(),
                BuildEvent.newBuilder()
                        .setOutput(StepOutput.newBuilder().setIndex(1).setData(ByteString.copyFromUtf8("copied\n")))
                        .build()
                        .toByteArray(),
                BuildEvent.newBuilder()
                        .setFinished(StepFinished.newBuilder()
                                .setIndex(1)
                                .setDurationNanos(1_000_000)
                                .setLayerDigest("sha256:" + "0".repeat(64))
                                .setLayerSize(4096))
                        .build()
                        .toByteArray(),
                BuildEvent.newBuilder()
                        .setResult(BuildResult.newBuilder()
                                .setImageId("sha256:" + "1".repeat(64))
                                .setManifestDigest("sha256:" + "2".repeat(64))
                                .addTags("train/app:1"))
                        .build()
                        .toByteArray());
    }
}
