package dev.berth.e2e.bench;

import dev.berth.cri.v1.ImageServiceGrpc;
import dev.berth.daemon.Berthd;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** berthd in its own JVM with the launcher's flags, and a gRPC client on its socket. */
final class BerthdProcess implements AutoCloseable {

    private final Path dir;
    private final Process process;
    private final EpollEventLoopGroup loop = new EpollEventLoopGroup(1);
    private final ManagedChannel channel;

    private BerthdProcess(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
        this.channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(dir.resolve("state/berth.sock").toString()))
                .channelType(EpollDomainSocketChannel.class).eventLoopGroup(loop).usePlaintext()
                .maxInboundMessageSize(16 * 1024 * 1024).build();
    }

    static BerthdProcess start(Path parent) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(parent, "berthd-");
        Files.writeString(dir.resolve("berth.yaml"), "");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process process = new ProcessBuilder(java, "-XX:+UseSerialGC", "-Xss512k", "-Xmx256m",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Berthd.class.getName(),
                "--config", dir.resolve("berth.yaml").toString(), "--root", dir.resolve("root").toString(),
                "--state", dir.resolve("state").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("berthd.log").toFile()).start();
        long deadline = System.currentTimeMillis() + 30_000;
        while (!Files.exists(dir.resolve("state/berth.sock"))) {
            if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                process.destroyForcibly();
                throw new IOException("berthd did not start: " + Files.readString(dir.resolve("berthd.log")));
            }
            Thread.sleep(50);
        }
        return new BerthdProcess(dir, process);
    }

    ImageServiceGrpc.ImageServiceBlockingStub images() {
        return ImageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(300, TimeUnit.SECONDS);
    }

    /** Its CRI socket, for a client of one's own (the pod benchmark's {@link CriClient}). */
    Path socket() {
        return dir.resolve("state/berth.sock");
    }

    Path root() {
        return dir.resolve("root");
    }

    long rssKib() throws IOException {
        return Rss.ofPid(process.pid());
    }

    @Override
    public void close() throws IOException {
        channel.shutdownNow();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // What a failed run leaves (containers, conmons, rootfs and netns mounts) must go before the files.
        HostCleanup cleanup = new HostCleanup(new dev.berth.process.CommandRunner(Path.of(System.getProperty("java.io.tmpdir"))));
        cleanup.deleteRuncContainersBelow(dir);
        cleanup.killProcessesMentioning(dir.toString());
        cleanup.unmountBelow(dir);
        dev.berth.store.Directories.deleteRecursively(dir);
    }
}
