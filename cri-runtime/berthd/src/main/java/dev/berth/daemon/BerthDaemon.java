package dev.berth.daemon;

import dev.berth.build.BuildService;
import dev.berth.build.StepToolsFactory;
import dev.berth.build.cache.BuildCache;
import dev.berth.build.copy.CopyStep;
import dev.berth.build.copy.TarArchives;
import dev.berth.build.layer.ContentStoreLayerSink;
import dev.berth.build.layer.LayerGzip;
import dev.berth.build.layer.LayerWriter;
import dev.berth.build.run.BuildRuntime;
import dev.berth.content.ContentStore;
import dev.berth.cri.BerthImagesRpc;
import dev.berth.cri.BuildRpc;
import dev.berth.cri.CriServer;
import dev.berth.cri.ImageProtos;
import dev.berth.cri.ImageServiceRpc;
import dev.berth.cri.PullServiceRpc;
import dev.berth.image.manifest.Platform;
import dev.berth.image.registry.RegistryClient;
import dev.berth.image.registry.RegistryConfig;
import dev.berth.imagestore.ImageGarbageCollector;
import dev.berth.imagestore.ImagePuller;
import dev.berth.imagestore.ImageService;
import dev.berth.imagestore.ImageStore;
import dev.berth.imagestore.Leases;
import dev.berth.imagestore.PushService;
import dev.berth.logging.BerthLoggerFactory;
import dev.berth.metrics.BerthMetrics;
import dev.berth.metrics.MetricsServer;
import dev.berth.snapshot.LayerUnpacker;
import dev.berth.snapshot.SnapshotStore;
import dev.berth.store.AtomicFiles;
import dev.berth.store.Json;
import dev.berth.streaming.StreamBackends;
import dev.berth.streaming.StreamTokens;
import dev.berth.streaming.StreamingServer;
import dev.berth.streaming.StreamingSettings;
import dev.berth.streaming.spdy.SpdyProtocol;
import dev.berth.streaming.websocket.WebSocketProtocol;
import dev.berth.sys.Syscalls;
import dev.berth.version.BerthVersion;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.Deflater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running berthd: stores recovered from disk, garbage from an interrupted run swept, the CRI socket
 * served. Closing it stops serving; pulls cut short leave only temporaries the next start sweeps.
 */
public final class BerthDaemon implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BerthDaemon.class);
    private static final Duration RECOVERY_HEAD_START = Duration.ofSeconds(2);

    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private ExecutorService layerCompressors;
    private final Reloadable<RegistryConfig> registrySettings;
    private final RegistryClient registry;
    private final StreamingServer streaming;
    private final PodWiring pods;
    private final CriServer server;
    private final BerthMetrics metrics;
    private final Optional<MetricsServer> metricsServer;
    private final StartupRecovery.Running recovery;
    private final long recoveryStarted;

    private BerthDaemon(BerthConfig config) throws IOException {
        Path root = config.rootDir();
        Path state = config.stateDir();
        DaemonDirs dirs = new DaemonDirs(root, state);
        dirs.create();
        lockChannel = FileChannel.open(
                state.resolve("berthd.lock"),
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                AtomicFiles.PRIVATE);
        lock = lockChannel.tryLock();
        if (lock == null) {
            lockChannel.close();
            throw new IOException("another berthd is running with state directory " + state);
        }
        // under the lock: another daemon's running commands are never swept, nor its tree changed
        dirs.tighten();
        dirs.sweepTemporaries();
        Json json = new Json();
        ContentStore content = new ContentStore(root.resolve("content"));
        SnapshotStore snapshots = new SnapshotStore(root.resolve("snapshots"), json);
        ImageStore images = new ImageStore(root.resolve("images"), json);
        content.sweepIngests();
        snapshots.sweepTemporaries();
        Leases leases = new Leases();
        BuildCache buildCache = new BuildCache(root.resolve("build-cache"), json, content, snapshots);
        ImageGarbageCollector collector = new ImageGarbageCollector(images, content, snapshots, leases, buildCache);
        String version = BerthVersion.current();
        metrics = new BerthMetrics(version);
        metricsServer = config.metricsAddress()
                .map(address -> new MetricsServer(address, !config.metricsAddressGiven(), metrics.registry()));

        BerthConfig.Images imageSettings = config.imagesOrDefault();
        registrySettings = new Reloadable<>(config.registryConfig());
        registry = new RegistryClient(registrySettings, imageSettings.pullProgressTimeoutOrDefault());
        Platform platform = imageSettings.platformOrHost();
        ImagePuller puller = new ImagePuller(
                registry,
                content,
                snapshots,
                images,
                new LayerUnpacker(new Syscalls()),
                leases,
                platform,
                imageSettings.maxConcurrentDownloadsOrDefault(),
                executor,
                metrics.pulls());
        ImageService imageService = new ImageService(puller, images, content, snapshots, collector);
        ImageProtos protos = new ImageProtos(imageService, content, json, root);
        int cores = Runtime.getRuntime().availableProcessors();
        PushService pushes = new PushService(
                imageService,
                images,
                content,
                leases,
                registry.pusher(imageSettings.pushSettings()),
                new LayerGzip(content, Deflater.DEFAULT_COMPRESSION, compressors(cores)),
                json.mapper());

        pods = PodWiring.wire(config, json, imageService, snapshots, leases, metrics);
        // containers lease their layers before garbage collection may look at them
        recovery = pods.recover();
        pods.builds().leftovers().sweep();
        recoveryStarted = System.nanoTime();
        collector.collect();

        StreamingSettings streamingSettings = config.streamingSettings();
        StreamBackends backends =
                new StreamBackends(pods.containerStreams(), pods.podPorts(), executor, streamingSettings);
        // kubelet speaks SPDY to the runtime whatever its own client speaks; WebSocket is for direct clients
        streaming = new StreamingServer(
                streamingSettings,
                new StreamTokens(Clock.systemUTC()),
                List.of(new SpdyProtocol(backends), new WebSocketProtocol(backends)));
        server = new CriServer(
                config.socketPath(),
                List.of(
                        new ImageServiceRpc(imageService, protos),
                        pods.rpc(version, json, streaming, executor),
                        new PullServiceRpc(imageService, protos),
                        new BerthImagesRpc(imageService, pushes, protos),
                        pods.containersRpc(streaming),
                        new BuildRpc(builds(imageService, content, snapshots, leases, buildCache, platform), protos)),
                metrics.rpcs(),
                executor);
    }

    private BuildService builds(
            ImageService images,
            ContentStore content,
            SnapshotStore snapshots,
            Leases leases,
            BuildCache cache,
            Platform platform) {
        BuildRuntime runtime = pods.builds();
        Syscalls sys = new Syscalls();
        TarArchives archives = new TarArchives(new LayerUnpacker(sys));
        LayerWriter layers = new LayerWriter(sys, new ContentStoreLayerSink(content));
        return new BuildService(
                images,
                content,
                leases,
                runtime.sandboxes(),
                archives,
                new StepToolsFactory.Parts(
                        runtime.mounts(), snapshots, layers, leases, cache, runtime.runner(), new CopyStep(archives)),
                platform);
    }

    /** Gzip of built layers at push is CPU bound: a small pool of platform threads, about one per core, shared by pushes. */
    private ExecutorService compressors(int cores) {
        ExecutorService pool = Executors.newFixedThreadPool(
                Math.max(1, cores),
                Thread.ofPlatform().daemon().name("layer-gzip-", 0).factory());
        layerCompressors = pool;
        return pool;
    }

    public static BerthDaemon start(BerthConfig config) throws IOException {
        BerthDaemon daemon = new BerthDaemon(config);
        try {
            daemon.streaming.start();
            daemon.awaitRecoveryHeadStart();
            daemon.server.start();
            // after the socket, which kubelet waits for; a configured address that cannot be served still stops berthd
            if (daemon.metricsServer.isPresent()) {
                daemon.metrics.registerJvmMetrics();
                daemon.metricsServer.get().start();
            }
        } catch (IOException | RuntimeException e) {
            daemon.close();
            throw e;
        }
        log.info(
                "berthd {} serving CRI v1 on unix://{} (root {}, state {}), streaming on {}",
                BerthVersion.current(),
                config.socketPath(),
                config.rootDir(),
                config.stateDir(),
                daemon.streaming.base());
        return daemon;
    }

    /**
     * The socket waits for recovery a little, so that a start with little to recover serves recovered state; a long
     * one (many pods to roll back) goes on while the socket serves, every record already reading consistently.
     */
    private void awaitRecoveryHeadStart() {
        Duration left = RECOVERY_HEAD_START.minusNanos(System.nanoTime() - recoveryStarted);
        if (!recovery.awaitAtMost(left.isNegative() ? Duration.ZERO : left)) {
            log.info("serving while recovery goes on");
        }
    }

    /** The port {@code /metrics} is served on (the one picked for port 0); empty when metrics are off. */
    public OptionalInt metricsPort() {
        return metricsServer.map(MetricsServer::port).orElse(OptionalInt.empty());
    }

    /**
     * Takes what a reloaded berth.yaml may change while pods run: the registry settings (pulls going on keep theirs)
     * and the log settings. Everything else (paths, network, runtimes, streaming) needs a restart.
     */
    public void reload(BerthConfig fresh) {
        registrySettings.set(fresh.registryConfig());
        BerthLoggerFactory.applyIfBound(fresh.logSettings());
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    @Override
    public void close() throws IOException {
        try {
            server.close();
        } finally {
            streaming.close();
            metricsServer.ifPresent(MetricsServer::close);
            pods.close();
            executor.shutdownNow();
            if (layerCompressors != null) {
                layerCompressors.shutdownNow();
            }
            registry.close();
            lock.release();
            lockChannel.close();
        }
    }
}
