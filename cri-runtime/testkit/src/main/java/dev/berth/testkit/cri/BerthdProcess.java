package dev.berth.testkit.cri;

import dev.berth.cri.v1.ImageServiceGrpc;
import dev.berth.cri.v1.RuntimeServiceGrpc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * berthd as its own process, the way it runs on a node, with a CRI client on its socket: a test can SIGKILL
 * it at any moment and start it again on the same directories. berthd is started by main class name from
 * this JVM's class path (the testkit cannot depend on the daemon, whose tests depend on the testkit); its
 * output is appended to a log file.
 */
public final class BerthdProcess implements AutoCloseable {

    /** berthd's entrypoint; the class path of the tests that start it must hold it. */
    public static final String MAIN_CLASS = "dev.berth.daemon.Berthd";

    /**
     * The JVM flags {@code ./berth daemon} runs berthd with (serial GC, C1 only and compiling a method from its tenth
     * call, a small heap handed back after a collection, native heap trimmed, Netty unpooled): tests that restart or
     * measure berthd use them so that what they see is what a node runs. LauncherFlagsTest and DebContentsTest keep the launchers and this list in step.
     * The launchers add the AOT cache on top, which only serves the jar it was made from.
     */
    public static final List<String> LAUNCHER_JVM_FLAGS = List.of(
            "-XX:+UseSerialGC",
            "-Xss512k",
            "-Xms8m",
            "-Xmx256m",
            "-XX:MinHeapFreeRatio=5",
            "-XX:MaxHeapFreeRatio=20",
            "-XX:TrimNativeHeapInterval=1000",
            "-XX:TieredStopAtLevel=1",
            "-XX:CompileThresholdScaling=0.05",
            "-XX:ReservedCodeCacheSize=32m",
            "-XX:MaxMetaspaceSize=96m",
            "-Dio.netty.allocator.type=unpooled",
            "-Dio.grpc.netty.useCustomAllocator=false",
            "--enable-native-access=ALL-UNNAMED");

    private static final long START_TIMEOUT_MILLIS = 30_000;

    private final Path log;
    private final Process process;
    private final CriChannel channel;

    private BerthdProcess(Path log, Process process, Path socket) {
        this.log = log;
        this.process = process;
        this.channel = CriChannel.connect(socket);
    }

    /** berthd on {@code base}/root and {@code base}/state, logging to {@code base}/berthd.log; returns once it serves. */
    public static BerthdProcess start(Path base, Path config) throws IOException, InterruptedException {
        return start(
                List.of("--enable-native-access=ALL-UNNAMED"),
                config,
                base.resolve("root"),
                base.resolve("state"),
                base.resolve("berthd.log"));
    }

    /** berthd in a JVM with {@code jvmFlags}; returns once its socket {@code state}/berth.sock exists. */
    public static BerthdProcess start(List<String> jvmFlags, Path config, Path root, Path state, Path log)
            throws IOException, InterruptedException {
        Path socket = state.resolve("berth.sock");
        Files.deleteIfExists(socket);
        List<String> argv = new ArrayList<>();
        argv.add(ProcessHandle.current().info().command().orElseThrow());
        argv.addAll(jvmFlags);
        argv.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                MAIN_CLASS,
                "--config",
                config.toString(),
                "--root",
                root.toString(),
                "--state",
                state.toString()));
        Process process = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (!Files.exists(socket)) {
            if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                // asked before the kill below, which would make a berthd that hung look like one that exited
                String what = process.isAlive()
                        ? "berthd's socket did not appear within " + START_TIMEOUT_MILLIS + " ms: "
                        : "berthd exited early (" + process.exitValue() + "): ";
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IOException(what + readLog(log));
            }
            Thread.sleep(50);
        }
        return new BerthdProcess(log, process, socket);
    }

    /** The log of a berthd started by {@link #start(Path, Path)} on {@code base}. */
    public static String log(Path base) {
        return readLog(base.resolve("berthd.log"));
    }

    private static String readLog(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log)";
        }
    }

    public String log() {
        return readLog(log);
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public Path socket() {
        return channel.socket();
    }

    public RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime() {
        return RuntimeServiceGrpc.newBlockingStub(channel.channel()).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    /** With a pull's deadline: a benchmark's large images take minutes. */
    public ImageServiceGrpc.ImageServiceBlockingStub images() {
        return ImageServiceGrpc.newBlockingStub(channel.channel()).withDeadlineAfter(300, TimeUnit.SECONDS);
    }

    /** SIGKILL, as the OOM killer or a node's hard stop would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        channel.close();
    }

    /** SIGTERM, then SIGKILL if it has not stopped within 15 s. */
    @Override
    public void close() throws InterruptedException {
        channel.close();
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
