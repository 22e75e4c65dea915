package dev.berth.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cri.CriServer;
import dev.berth.cri.v1.ImageServiceGrpc;
import dev.berth.cri.v1.RuntimeServiceGrpc;
import dev.berth.daemon.Berthd;
import io.grpc.ManagedChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * berthd as its own process, the way it runs on a node, so a test can SIGKILL it at any moment and start
 * it again on the same directories. Its output goes to {@code <base>/berthd.log}.
 */
public final class BerthdProcess implements AutoCloseable {

    private final Path base;
    private final Process process;
    private final EpollEventLoopGroup loop = new EpollEventLoopGroup(1);
    private final ManagedChannel channel;

    private BerthdProcess(Path base, Process process) {
        this.base = base;
        this.process = process;
        this.channel = DaemonFixture.channel(socket(base), loop);
    }

    /** Starts berthd with {@code config} on {@code base}/root and {@code base}/state; returns once it serves. */
    public static BerthdProcess start(Path base, Path config) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Files.deleteIfExists(socket(base));
        Process process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Berthd.class.getName(),
                "--config", config.toString(), "--root", base.resolve("root").toString(),
                "--state", base.resolve("state").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve("berthd.log").toFile()))
                .start();
        long deadline = System.currentTimeMillis() + 30_000;
        while (!Files.exists(socket(base))) {
            assertThat(process.isAlive()).as("berthd exited early: %s", log(base)).isTrue();
            assertThat(System.currentTimeMillis()).as("berthd socket did not appear: %s", log(base)).isLessThan(deadline);
            Thread.sleep(50);
        }
        return new BerthdProcess(base, process);
    }

    private static Path socket(Path base) {
        return base.resolve("state/berth.sock");
    }

    public static String log(Path base) {
        try {
            return Files.readString(base.resolve("berthd.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    public Process process() {
        return process;
    }

    public RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime() {
        return RuntimeServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                .withMaxInboundMessageSize(CriServer.MAX_MESSAGE_BYTES);
    }

    public ImageServiceGrpc.ImageServiceBlockingStub images() {
        return ImageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(120, TimeUnit.SECONDS);
    }

    public ManagedChannel channel() {
        return channel;
    }

    /** SIGKILL, as the OOM killer or a node's hard stop would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        closeClient();
    }

    private void closeClient() {
        channel.shutdownNow();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        closeClient();
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
