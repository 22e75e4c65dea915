package dev.berth.cli.e2e;

import dev.berth.cri.v1.ListImagesRequest;
import dev.berth.cri.v1.ListPodSandboxRequest;
import dev.berth.cri.v1.PodSandbox;
import dev.berth.cri.v1.RemoveImageRequest;
import dev.berth.cri.v1.RemovePodSandboxRequest;
import dev.berth.cri.v1.StopPodSandboxRequest;
import dev.berth.testkit.cri.BerthdProcess;
import dev.berth.testkit.layer.BusyboxImage;
import dev.berth.testkit.network.TestBridge;
import dev.berth.testkit.registry.ImagePusher;
import dev.berth.testkit.registry.RegistryFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real parts the CLI is tested against: a local registry holding the host's busybox as an image, a berthd
 * in its own process on its own directories and its own bridge and /24, and the berth command run as a
 * subprocess of its own (a JVM on this class path, so no shaded jar is needed) with BERTH_ENDPOINT at berthd.
 * Closing it removes every pod and image berthd holds, then berthd, the bridge and the files.
 */
public final class CliTestBed implements AutoCloseable {

    private static final long CLI_TIMEOUT_SECONDS = 120;

    private final Path base;
    private final String bridge;
    private final RegistryFixture registry;
    private final Path config;
    private final String busybox;
    private BerthdProcess berthd;

    private CliTestBed(
            Path base, String bridge, RegistryFixture registry, Path config, BerthdProcess berthd, String busybox) {
        this.base = base;
        this.config = config;
        this.bridge = bridge;
        this.registry = registry;
        this.berthd = berthd;
        this.busybox = busybox;
    }

    public static CliTestBed start() throws IOException, InterruptedException {
        Path base = Files.createTempDirectory("berth-cli-e2e-");
        RegistryFixture registry = RegistryFixture.start();
        try {
            String busybox = new ImagePusher(registry)
                    .pushImage("cli/busybox", "1", BusyboxImage.fromHost().image("sh"))
                    .reference();
            String bridge = "bc" + ThreadLocalRandom.current().nextInt(100_000, 999_999);
            int octet = ThreadLocalRandom.current().nextInt(1, 250);
            Files.createDirectories(base.resolve("cni-conf"));
            Path config = Files.writeString(
                    base.resolve("berth.yaml"), """
                    network:
                      confDir: %s
                      bridge: %s
                      subnet: 10.234.%d.0/24
                    """.formatted(base.resolve("cni-conf"), bridge, octet));
            BerthdProcess berthd = BerthdProcess.start(base, config);
            return new CliTestBed(base, bridge, registry, config, berthd, busybox);
        } catch (IOException | RuntimeException e) {
            registry.close();
            throw e;
        }
    }

    /** Pushes a busybox image of its own (its CMD is {@code cmd}), for a test that removes it; its reference. */
    public String pushBusybox(String repository, String tag, String... cmd) throws IOException {
        return new ImagePusher(registry)
                .pushImage(repository, tag, BusyboxImage.fromHost().image(cmd))
                .reference();
    }

    /** The registry's {@code host:port}. */
    public String registry() {
        return registry.hostPort();
    }

    /** The busybox image in the local registry, {@code 127.0.0.1:PORT/cli/busybox:1}; its CMD is sh. */
    public String busybox() {
        return busybox;
    }

    /** berthd's root directory (images, snapshots, builds). */
    public Path berthdRoot() {
        return base.resolve("root");
    }

    public BerthdProcess berthd() {
        return berthd;
    }

    /** berthd SIGKILLed, then started again on the same directories (its containers run on under conmon). */
    public void killAndRestartBerthd(Duration down) throws IOException, InterruptedException {
        berthd.kill();
        Thread.sleep(down.toMillis());
        berthd = BerthdProcess.start(base, config);
    }

    public String endpoint() {
        return "unix://" + berthd.socket();
    }

    public CliResult berth(String... args) throws IOException, InterruptedException {
        return berthWithEnv(List.of("BERTH_ENDPOINT=" + endpoint()), args);
    }

    /** berth with {@code input} on its stdin. */
    public CliResult berthWithInput(String input, String... args) throws IOException, InterruptedException {
        Path in = Files.writeString(Files.createTempFile(base, "in-", ".txt"), input);
        try {
            return run(List.of("BERTH_ENDPOINT=" + endpoint()), in, args);
        } finally {
            Files.delete(in);
        }
    }

    /** The JVM command line that runs berth, for a test that runs it another way (under a pty). */
    public List<String> javaCommand() {
        List<String> argv = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElseThrow(),
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 23) {
            // as the launcher: no JDK warning about Netty's, protobuf's and Guava's Unsafe on the container's stderr
            argv.add("--sun-misc-unsafe-memory-access=allow");
        }
        argv.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.berth.cli.Berth"));
        return argv;
    }

    /** berth with {@code env} (K=V) set on top of this process's environment (BERTH_ENDPOINT removed). */
    public CliResult berthWithEnv(List<String> env, String... args) throws IOException, InterruptedException {
        return run(env, Path.of("/dev/null"), args);
    }

    private CliResult run(List<String> env, Path stdin, String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(javaCommand());
        argv.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(stdin.toFile()));
        builder.environment().remove("BERTH_ENDPOINT");
        for (String pair : env) {
            int eq = pair.indexOf('=');
            builder.environment().put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        Path out = Files.createTempFile(base, "out-", ".txt");
        Path err = Files.createTempFile(base, "err-", ".txt");
        Process process =
                builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(CLI_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IOException("berth " + String.join(" ", args) + " did not finish: " + Files.readString(out)
                    + Files.readString(err));
        }
        CliResult result = new CliResult(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return result;
    }

    /** berth started and left running (its output goes to a pipe the caller reads), for {@code logs -f}. */
    public Process startBerth(String... args) throws IOException {
        return startBerth(ProcessBuilder.Redirect.DISCARD, args);
    }

    /** As {@link #startBerth(String...)}, its stderr to {@code stderr} (build's progress goes there). */
    public Process startBerth(ProcessBuilder.Redirect stderr, String... args) throws IOException {
        List<String> argv = new ArrayList<>(javaCommand());
        argv.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectError(stderr);
        builder.environment().put("BERTH_ENDPOINT", endpoint());
        return builder.start();
    }

    /** Every pod berthd holds (the CLI's and any other). */
    public List<PodSandbox> pods() {
        return berthd.runtime()
                .listPodSandbox(ListPodSandboxRequest.getDefaultInstance())
                .getItemsList();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            for (PodSandbox pod : pods()) {
                berthd.runtime()
                        .stopPodSandbox(StopPodSandboxRequest.newBuilder()
                                .setPodSandboxId(pod.getId())
                                .build());
                berthd.runtime()
                        .removePodSandbox(RemovePodSandboxRequest.newBuilder()
                                .setPodSandboxId(pod.getId())
                                .build());
                deleteTree(Path.of("/var/log/pods/berth-cli_"
                        + pod.getMetadata().getName() + "_" + pod.getMetadata().getUid()));
            }
            berthd.images()
                    .listImages(ListImagesRequest.getDefaultInstance())
                    .getImagesList()
                    .forEach(image -> berthd.images()
                            .removeImage(RemoveImageRequest.newBuilder()
                                    .setImage(image.getSpec())
                                    .build()));
        } finally {
            berthd.close();
            registry.close();
            new TestBridge(bridge).delete();
            deleteTree(base);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}
