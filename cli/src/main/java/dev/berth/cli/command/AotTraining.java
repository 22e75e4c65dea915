package dev.berth.cli.command;

import dev.berth.cli.Berth;
import dev.berth.cli.container.CliContainer;
import dev.berth.cli.container.CliLabels;
import dev.berth.cli.container.PortSpec;
import dev.berth.cli.image.ImageInfo;
import dev.berth.cli.logs.LogFile;
import dev.berth.cli.logs.LogPrinter;
import dev.berth.cli.run.RunOptions;
import dev.berth.cli.run.RunSpec;
import dev.berth.cli.run.RunSpecBuilder;
import dev.berth.cri.v1.Container;
import dev.berth.cri.v1.ContainerFilter;
import dev.berth.cri.v1.ContainerState;
import dev.berth.cri.v1.ContainerStateValue;
import dev.berth.cri.v1.ContainerStatus;
import dev.berth.cri.v1.ContainerStatusResponse;
import dev.berth.cri.v1.CreateContainerRequest;
import dev.berth.cri.v1.Image;
import dev.berth.cri.v1.ImageServiceGrpc;
import dev.berth.cri.v1.ImageStatusResponse;
import dev.berth.cri.v1.ListContainersRequest;
import dev.berth.cri.v1.ListContainersResponse;
import dev.berth.cri.v1.ListPodSandboxRequest;
import dev.berth.cri.v1.ListPodSandboxResponse;
import dev.berth.cri.v1.PodSandbox;
import dev.berth.cri.v1.PodSandboxFilter;
import dev.berth.cri.v1.PodSandboxMetadata;
import dev.berth.cri.v1.PodSandboxState;
import dev.berth.cri.v1.PodSandboxStateValue;
import dev.berth.cri.v1.RunPodSandboxRequest;
import dev.berth.cri.v1.RuntimeServiceGrpc;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The launcher's AOT training run (JDK 25's {@code -XX:AOTMode=record}): the JVM caches the classes a run loads
 * and links, so what the training leaves out every later start loads from the jar. It runs a real {@code ps -a}
 * (read-only) against the daemon, whose exit code it returns (no daemon: no cache yet, the next start trains
 * again); the daemon may have no containers yet, so it then walks offline through what containers bring to
 * {@code ps} (their messages and rows), what {@code run} builds (its flags, the pod and container configs) and
 * what its calls bring back (the messages of each call, a container's log followed to its end), then runs a real
 * {@code run --rm} ({@link AotRunTraining}) and a build ({@link AotBuildTraining}) against stand-ins.
 * With that, {@code ps} of 50 containers took 20% less CPU than after a training on an empty daemon.
 */
public final class AotTraining {

    private static final String IMAGE = "registry.example/team/app:1";

    private AotTraining() {}

    public static void main(String[] args) throws Exception {
        java.util.logging.LogManager.getLogManager().reset();
        int code = Berth.execute(new String[] {"ps", "-a"});
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        psRows(nowhere);
        runSpec();
        runCalls(nowhere);
        try {
            AotRunTraining.run();
        } catch (IOException | RuntimeException e) {
            // run's own path stays out of the cache; what it builds and parses was trained above
        }
        try {
            AotBuildTraining.run();
        } catch (IOException | RuntimeException e) {
            // the build's classes stay out of the cache; what ps and run trained still goes in
        }
        System.exit(code);
    }

    private static void psRows(PrintStream out) throws Exception {
        PodSandbox pod = ListPodSandboxResponse.parseFrom(ListPodSandboxResponse.newBuilder()
                        .addItems(PodSandbox.newBuilder()
                                .setId("0123456789abcdef")
                                .setMetadata(PodSandboxMetadata.newBuilder()
                                        .setName("train")
                                        .setNamespace(CliLabels.NAMESPACE)
                                        .setUid("uid"))
                                .setCreatedAt(System.currentTimeMillis() * 1_000_000 - 60_000_000_000L)
                                .putLabels(CliLabels.NAME, "train")
                                .putAnnotations(CliLabels.IMAGE, IMAGE)
                                .putAnnotations(CliLabels.COMMAND, "[\"sleep\",\"3600\"]")
                                .putAnnotations(
                                        CliLabels.PORTS, PortSpec.toAnnotation(List.of(PortSpec.parse("8080:80")))))
                        .build()
                        .toByteArray())
                .getItems(0);
        Container container = ListContainersResponse.parseFrom(ListContainersResponse.newBuilder()
                        .addContainers(Container.newBuilder()
                                .setId("fedcba9876543210")
                                .setPodSandboxId(pod.getId())
                                .setState(ContainerState.CONTAINER_RUNNING))
                        .build()
                        .toByteArray())
                .getContainers(0);
        List<Map<String, String>> rows = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (ContainerState state : List.of(ContainerState.CONTAINER_RUNNING, ContainerState.CONTAINER_EXITED)) {
            ContainerStatus status = ContainerStatusResponse.parseFrom(ContainerStatusResponse.newBuilder()
                            .setStatus(ContainerStatus.newBuilder()
                                    .setId(container.getId())
                                    .setState(state)
                                    .setStartedAt(pod.getCreatedAt())
                                    .setFinishedAt(pod.getCreatedAt())
                                    .setExitCode(3))
                            .build()
                            .toByteArray())
                    .getStatus();
            rows.add(ContainerRows.row(new CliContainer(pod, Optional.of(status), true), now, false));
        }
        PsCommand.table(rows).print(out);
    }

    private static void runSpec() throws Exception {
        String[] run = {"run", "--rm", "-p", "8080:80", "-e", "K=V", "--name", "train", IMAGE, "sh", "-c", "true"};
        Berth.commandLine(run).parseArgs(run);
        ImageInfo image = new ImageInfo(
                Image.getDefaultInstance(),
                ImageInfo.parse("{\"imageSpec\":{\"config\":{\"Entrypoint\":null,\"Cmd\":[\"sh\"]}}}"));
        RunSpec spec = new RunSpecBuilder(new RunOptions(), true, false, "no")
                .build("train", IMAGE, image, List.of("true"), List.of());
        RunPodSandboxRequest.parseFrom(
                RunPodSandboxRequest.newBuilder().setConfig(spec.pod()).build().toByteArray());
        CreateContainerRequest.parseFrom(CreateContainerRequest.newBuilder()
                .setPodSandboxId("0123456789abcdef")
                .setConfig(spec.container())
                .setSandboxConfig(spec.pod())
                .build()
                .toByteArray());
    }

    /** The messages and methods of {@code run --rm}'s calls, and a log file it follows (~190 classes less to load). */
    private static void runCalls(PrintStream out) throws Exception {
        List<MethodDescriptor<?, ?>> methods = List.of(
                ImageServiceGrpc.getImageStatusMethod(),
                RuntimeServiceGrpc.getListPodSandboxMethod(),
                RuntimeServiceGrpc.getRunPodSandboxMethod(),
                RuntimeServiceGrpc.getListContainersMethod(),
                RuntimeServiceGrpc.getCreateContainerMethod(),
                RuntimeServiceGrpc.getStartContainerMethod(),
                RuntimeServiceGrpc.getContainerStatusMethod(),
                RuntimeServiceGrpc.getStopPodSandboxMethod(),
                RuntimeServiceGrpc.getRemovePodSandboxMethod());
        for (MethodDescriptor<?, ?> method : methods) {
            roundTrip(method.getRequestMarshaller());
            roundTrip(method.getResponseMarshaller());
        }
        ListPodSandboxRequest.newBuilder()
                .setFilter(PodSandboxFilter.newBuilder()
                        .setState(PodSandboxStateValue.newBuilder().setState(PodSandboxState.SANDBOX_READY))
                        .putLabelSelector(CliLabels.NAME, "train"))
                .build();
        ListContainersRequest.newBuilder()
                .setFilter(ContainerFilter.newBuilder()
                        .setState(ContainerStateValue.newBuilder().setState(ContainerState.CONTAINER_RUNNING))
                        .putLabelSelector(CliLabels.NAME, "train"))
                .build();
        ImageStatusResponse.newBuilder()
                .setImage(Image.newBuilder().setId("sha256:0"))
                .putInfo("info", "{}");
        Path dir = Files.createTempDirectory("berth-aot-training-");
        try {
            Path log = Files.writeString(dir.resolve("0.log"), "2026-01-01T00:00:00.000000000Z stdout F train\n");
            new LogFile(log).follow(new LogPrinter(out, out, false, null), -1, () -> false);
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    private static <T> void roundTrip(MethodDescriptor.Marshaller<T> marshaller) throws Exception {
        if (marshaller instanceof MethodDescriptor.PrototypeMarshaller<T> prototypes) {
            try (InputStream in = marshaller.stream(prototypes.getMessagePrototype())) {
                marshaller.parse(new ByteArrayInputStream(in.readAllBytes()));
            }
        }
    }
}
