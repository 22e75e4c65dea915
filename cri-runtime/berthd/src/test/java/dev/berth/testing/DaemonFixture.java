package dev.berth.testing;

import dev.berth.cri.v1.ImageServiceGrpc;
import dev.berth.cri.v1.RuntimeServiceGrpc;
import dev.berth.daemon.BerthConfig;
import dev.berth.daemon.BerthDaemon;
import dev.berth.store.Directories;
import dev.berth.testkit.cri.CriChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real berthd in this JVM with its own root, state dir and socket, and a real gRPC client on that
 * socket. Closing it stops the daemon and deletes its directories.
 */
public final class DaemonFixture implements AutoCloseable {

    /** Every daemon serves metrics, each on a port of its own: tests run beside each other and beside a node's. */
    public static final BerthConfig.Metrics METRICS_ON_FREE_PORT = new BerthConfig.Metrics("127.0.0.1:0");

    private final Path base;
    private final BerthConfig config;
    private final PodNetworkFixture network;
    private final BerthDaemon daemon;
    private final CriChannel channel;

    private DaemonFixture(Path base, BerthConfig config, PodNetworkFixture network) throws IOException {
        this.base = base;
        this.config = config;
        this.network = network;
        this.daemon = BerthDaemon.start(config);
        this.channel = CriChannel.connect(config.socketPath());
    }

    public static DaemonFixture start() throws IOException {
        return start(Map.of());
    }

    public static DaemonFixture start(Map<String, BerthConfig.Registry> registries) throws IOException {
        return startIn(Files.createTempDirectory("berthd-test-"), registries);
    }

    /** A daemon on an existing base directory, as after a restart; closing it deletes the directory. */
    public static DaemonFixture startIn(Path base, Map<String, BerthConfig.Registry> registries) throws IOException {
        PodNetworkFixture network = PodNetworkFixture.random(base);
        return new DaemonFixture(base, config(base, registries, network), network);
    }

    public static BerthConfig config(
            Path base, Map<String, BerthConfig.Registry> registries, PodNetworkFixture network) {
        return new BerthConfig(
                base.resolve("root").toString(),
                base.resolve("state").toString(),
                null,
                null,
                registries,
                null,
                network.config(),
                null,
                null,
                METRICS_ON_FREE_PORT,
                null);
    }

    /** A daemon whose default network takes {@code form} (berth.yaml's {@code network.default}: netlink or cni). */
    public static DaemonFixture startWithDefaultNetwork(String form) throws IOException {
        return startWith((base, c) -> {
            BerthConfig.Network net = c.network();
            return changed(
                    c,
                    c.images(),
                    c.runtimes(),
                    new BerthConfig.Network(net.confDir(), net.pluginDirs(), net.bridge(), net.subnet(), form),
                    c.metrics());
        });
    }

    /** A daemon with its own pull settings (berth.yaml's {@code images}). */
    public static DaemonFixture startWithImages(BerthConfig.Images images) throws IOException {
        return startWith((base, c) -> changed(c, images, c.runtimes(), c.network(), c.metrics()));
    }

    /** A daemon with berth.yaml's {@code metrics} as given. */
    public static DaemonFixture startWithMetrics(BerthConfig.Metrics metrics) throws IOException {
        return startWith((base, c) -> changed(c, c.images(), c.runtimes(), c.network(), metrics));
    }

    /** A daemon with extra RuntimeClass handlers, each built by {@code handlers} from the daemon's base dir. */
    public static DaemonFixture startWithRuntimes(
            java.util.function.Function<Path, Map<String, BerthConfig.Runtime>> handlers) throws IOException {
        return startWith((base, c) -> changed(c, c.images(), handlers.apply(base), c.network(), c.metrics()));
    }

    /** A daemon on a new base directory whose berth.yaml is the plain one as {@code edit} changes it. */
    private static DaemonFixture startWith(java.util.function.BiFunction<Path, BerthConfig, BerthConfig> edit)
            throws IOException {
        Path base = Files.createTempDirectory("berthd-test-");
        PodNetworkFixture network = PodNetworkFixture.random(base);
        return new DaemonFixture(base, edit.apply(base, config(base, Map.of(), network)), network);
    }

    private static BerthConfig changed(
            BerthConfig plain,
            BerthConfig.Images images,
            Map<String, BerthConfig.Runtime> runtimes,
            BerthConfig.Network network,
            BerthConfig.Metrics metrics) {
        return new BerthConfig(
                plain.root(),
                plain.state(),
                plain.socket(),
                images,
                plain.registries(),
                runtimes,
                network,
                plain.streaming(),
                plain.security(),
                metrics,
                plain.log());
    }

    public Path base() {
        return base;
    }

    public PodNetworkFixture network() {
        return network;
    }

    public ImageServiceGrpc.ImageServiceBlockingStub images() {
        return ImageServiceGrpc.newBlockingStub(channel.channel()).withDeadlineAfter(120, TimeUnit.SECONDS);
    }

    /** The socket's channel, for a client that sends what the generated stubs cannot (raw bytes). */
    public io.grpc.Channel channel() {
        return channel.channel();
    }

    public RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime() {
        return RuntimeServiceGrpc.newBlockingStub(channel.channel()).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    /** The daemon, for what no client sees (the metrics port). */
    public BerthDaemon daemon() {
        return daemon;
    }

    public Path root() {
        return config.rootDir();
    }

    public BerthConfig config() {
        return config;
    }

    public Path socket() {
        return config.socketPath();
    }

    /** Removes every pod still there (a failed test's), so no mount or process outlives the fixture. */
    public void removeAllPods() {
        RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime = runtime();
        for (var pod : runtime.listPodSandbox(dev.berth.cri.v1.ListPodSandboxRequest.getDefaultInstance())
                .getItemsList()) {
            runtime.removePodSandbox(dev.berth.cri.v1.RemovePodSandboxRequest.newBuilder()
                    .setPodSandboxId(pod.getId())
                    .build());
        }
    }

    @Override
    public void close() throws IOException {
        try {
            removeAllPods();
        } catch (RuntimeException e) {
            // the daemon may be the thing that failed; closing goes on
        }
        channel.close();
        try {
            daemon.close();
        } finally {
            try {
                network.deleteBridge();
            } finally {
                Directories.deleteRecursively(base);
            }
        }
    }
}
