package dev.berth.cli.command;

import dev.berth.cli.Berth;
import dev.berth.cli.grpc.CannedServer;
import dev.berth.cri.v1.ContainerState;
import dev.berth.cri.v1.ContainerStatus;
import dev.berth.cri.v1.ContainerStatusResponse;
import dev.berth.cri.v1.CreateContainerResponse;
import dev.berth.cri.v1.Image;
import dev.berth.cri.v1.ImageServiceGrpc;
import dev.berth.cri.v1.ImageStatusResponse;
import dev.berth.cri.v1.ListPodSandboxResponse;
import dev.berth.cri.v1.RemovePodSandboxResponse;
import dev.berth.cri.v1.RunPodSandboxResponse;
import dev.berth.cri.v1.RuntimeServiceGrpc;
import dev.berth.cri.v1.StartContainerResponse;
import dev.berth.cri.v1.StopPodSandboxResponse;
import dev.berth.cri.v1.VersionResponse;
import io.grpc.MethodDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The AOT training's {@code run --rm}: the real command against a stand-in runtime on a socket of its own ({@link
 * CannedServer}), which answers each of run's calls as berthd does for a container that has run and exited. The
 * command's own path (its lambdas, the messages of every answer, the log followed to its end) then comes from the
 * cache rather than being made at every start; a training without it left ~25 lambdas and proxies-bound method
 * handles to every run.
 */
final class AotRunTraining {

    private static final String POD = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final String CONTAINER = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

    private AotRunTraining() {}

    static void run() throws IOException {
        Path dir = Files.createTempDirectory("berth-aot-run-");
        try {
            Path log = Files.writeString(
                    dir.resolve("0.log"),
                    "2026-01-01T00:00:00.000000000Z stdout F train\n"
                            + "2026-01-01T00:00:00.000000001Z stderr F trained\n");
            try (CannedServer server = CannedServer.start(dir.resolve("cri.sock"), answers(log))) {
                Berth.execute(new String[] {
                    "--endpoint",
                    "unix://" + dir.resolve("cri.sock"),
                    "run",
                    "--rm",
                    "--name",
                    "train",
                    "-e",
                    "K=V",
                    "registry.example/team/app:1",
                    "true"
                });
            }
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    private static Map<String, Function<List<byte[]>, List<byte[]>>> answers(Path log) {
        Map<String, Function<List<byte[]>, List<byte[]>>> answers = new HashMap<>();
        answer(
                answers,
                RuntimeServiceGrpc.getVersionMethod(),
                VersionResponse.newBuilder().setRuntimeName("berthd").build().toByteArray());
        answer(
                answers,
                RuntimeServiceGrpc.getListPodSandboxMethod(),
                ListPodSandboxResponse.getDefaultInstance().toByteArray());
        answer(
                answers,
                ImageServiceGrpc.getImageStatusMethod(),
                ImageStatusResponse.newBuilder()
                        .setImage(Image.newBuilder()
                                .setId("sha256:" + "3".repeat(64))
                                .addRepoTags("registry.example/team/app:1"))
                        .putInfo(
                                "info",
                                "{\"imageSpec\":{\"config\":{\"Entrypoint\":null,\"Cmd\":[\"sh\"],\"Env\":[\"PATH=/bin\"]}}}")
                        .build()
                        .toByteArray());
        answer(
                answers,
                RuntimeServiceGrpc.getRunPodSandboxMethod(),
                RunPodSandboxResponse.newBuilder().setPodSandboxId(POD).build().toByteArray());
        answer(
                answers,
                RuntimeServiceGrpc.getCreateContainerMethod(),
                CreateContainerResponse.newBuilder()
                        .setContainerId(CONTAINER)
                        .build()
                        .toByteArray());
        answer(
                answers,
                RuntimeServiceGrpc.getStartContainerMethod(),
                StartContainerResponse.getDefaultInstance().toByteArray());
        long now = System.currentTimeMillis() * 1_000_000;
        answer(
                answers,
                RuntimeServiceGrpc.getContainerStatusMethod(),
                ContainerStatusResponse.newBuilder()
                        .setStatus(ContainerStatus.newBuilder()
                                .setId(CONTAINER)
                                .setState(ContainerState.CONTAINER_EXITED)
                                .setCreatedAt(now)
                                .setStartedAt(now)
                                .setFinishedAt(now)
                                .setLogPath(log.toString()))
                        .build()
                        .toByteArray());
        answer(
                answers,
                RuntimeServiceGrpc.getStopPodSandboxMethod(),
                StopPodSandboxResponse.getDefaultInstance().toByteArray());
        answer(
                answers,
                RuntimeServiceGrpc.getRemovePodSandboxMethod(),
                RemovePodSandboxResponse.getDefaultInstance().toByteArray());
        return answers;
    }

    private static void answer(
            Map<String, Function<List<byte[]>, List<byte[]>>> answers, MethodDescriptor<?, ?> method, byte[] reply) {
        answers.put(method.getFullMethodName(), requests -> List.of(reply));
    }
}
