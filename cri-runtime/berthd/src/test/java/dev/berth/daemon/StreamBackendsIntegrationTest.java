package dev.berth.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cri.v1.NamespaceMode;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.StopContainerRequest;
import dev.berth.imagestore.Leases;
import dev.berth.metrics.BerthMetrics;
import dev.berth.runtime.RemoteStreams;
import dev.berth.runtime.TerminalSize;
import dev.berth.snapshot.SnapshotStore;
import dev.berth.store.Json;
import dev.berth.streaming.RemoteCommandException;
import dev.berth.streaming.StreamRequest;
import dev.berth.testing.ClientStreams;
import dev.berth.testing.DaemonFixture;
import dev.berth.testing.PodClient;
import dev.berth.testing.PodTestBedExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The exec, attach and port-forward backends against real containers (runc, conmon, pinned pod netns),
 * driven directly with in-memory client streams: no wire protocol. The backends are wired by {@link PodWiring}
 * over the running daemon's directories, after the test's containers exist (records are read at wiring).
 */
class StreamBackendsIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    static final PodTestBedExtension bed =
            new PodTestBedExtension("berthstream").thenCheck(StreamBackendsIntegrationTest::noExecScratchDirLeft);

    private final DaemonFixture daemon = bed.daemon();
    private final PodClient pods = bed.pods();
    private final String busybox = bed.busybox();

    /** After the pods are gone: no exec left its scratch dir behind. */
    private static void noExecScratchDirLeft() throws Exception {
        Path scratch = bed.daemon().config().stateDir().resolve("exec");
        if (Files.isDirectory(scratch)) {
            try (Stream<Path> left = Files.list(scratch)) {
                assertThat(left.toList()).as("exec scratch dirs").isEmpty();
            }
        }
    }

    private PodWiring backends() throws IOException {
        Json json = new Json();
        Path root = daemon.config().rootDir();
        return PodWiring.wire(
                daemon.config(),
                json,
                null,
                new SnapshotStore(root.resolve("snapshots"), json),
                new Leases(),
                new BerthMetrics("test"));
    }

    private String sleeper(String podName) {
        PodSandboxConfig pod = pods.pod(podName).build();
        String podId = pods.run(pod);
        return pods.createAndStart(
                podId, pod, pods.container("sleeper", busybox, "sleep", "1000").build());
    }

    /** The streaming server's value of a CRI exec; the channels only need to agree with {@code tty}. */
    private static StreamRequest.Exec exec(String id, List<String> command, boolean tty) {
        return new StreamRequest.Exec(id, command, new StreamRequest.Channels(false, true, !tty, tty));
    }

    private static <T> CompletableFuture<T> async(Callable<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(call.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    @Test
    void execCopiesStdinToCatAndEndsWhenStdinCloses() throws Exception {
        String id = sleeper("exec-cat");
        ClientStreams client = new ClientStreams();
        CompletableFuture<Integer> exit = async(() ->
                backends().containerStreams().exec(exec(id, List.of("cat"), false), client.streams(true, true, true)));

        client.type("hello through cat\n");
        client.stdout().await("hello through cat\n", WAIT);
        client.closeStdin();

        assertThat(exit.get(15, TimeUnit.SECONDS)).isZero();
        assertThat(client.stderr().text()).isEmpty();
    }

    @Test
    void execReturnsTheExitCodeAndKeepsStderrApart() throws Exception {
        String id = sleeper("exec-code");
        ClientStreams client = new ClientStreams();

        int exit = backends()
                .containerStreams()
                .exec(
                        exec(id, List.of("sh", "-c", "echo out; echo err >&2; exit 3"), false),
                        client.streams(false, true, true));

        assertThat(exit).isEqualTo(3);
        assertThat(client.stdout().text()).isEqualTo("out\n");
        assertThat(client.stderr().text()).isEqualTo("err\n");
    }

    @Test
    void execOfAMissingExecutableFailsWithTheRuntimesMessage() throws Exception {
        String id = sleeper("exec-missing");
        ClientStreams client = new ClientStreams();

        assertThatThrownBy(() -> backends()
                        .containerStreams()
                        .exec(exec(id, List.of("no-such-program"), false), client.streams(false, true, true)))
                .isInstanceOf(RemoteCommandException.class)
                .hasMessageContaining("no-such-program")
                .hasMessageContaining("executable file not found");
        assertThat(client.stderr().text())
                .as("runc's own words are not the process's stderr")
                .isEmpty();
    }

    @Test
    void execOfAMissingExecutableWithATtyFailsWithTheRuntimesMessage() throws Exception {
        String id = sleeper("exec-missing-tty");
        ClientStreams client = new ClientStreams();

        assertThatThrownBy(() -> backends()
                        .containerStreams()
                        .exec(exec(id, List.of("no-such-program"), true), client.streams(false, true, false)))
                .isInstanceOf(RemoteCommandException.class)
                .hasMessageContaining("executable file not found");
    }

    @Test
    void execInAStoppedContainerIsRefused() throws Exception {
        PodSandboxConfig pod = pods.pod("exec-stopped").build();
        String podId = pods.run(pod);
        String id = pods.createAndStart(
                podId, pod, pods.container("quick", busybox, "true").build());
        pods.awaitExit(id, 30);

        assertThatThrownBy(() -> backends()
                        .containerStreams()
                        .exec(exec(id, List.of("true"), false), new ClientStreams().streams(false, true, true)))
                .isInstanceOf(RemoteCommandException.class)
                .hasMessageContaining("is not running");
    }

    @Test
    void execWithATtyEchoesAndReportsResizes() throws Exception {
        String id = sleeper("exec-tty");
        ClientStreams client = new ClientStreams();
        CompletableFuture<Integer> exit = async(() ->
                backends().containerStreams().exec(exec(id, List.of("sh"), true), client.streams(true, true, false)));

        client.type("echo through-the-$((6*7))-pty\n");
        client.stdout().await("through-the-42-pty", WAIT);
        client.resizes().offer(new TerminalSize(123, 45));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!client.stdout().text().contains("45 123") && System.nanoTime() < deadline) {
            client.type("stty size\n");
            Thread.sleep(200);
        }
        assertThat(client.stdout().text()).contains("45 123");
        client.type("exit 7\n");

        assertThat(exit.get(15, TimeUnit.SECONDS)).isEqualTo(7);
    }

    @Test
    void clientLeavingKillsTheExecdProcess() throws Exception {
        String id = sleeper("exec-leave");
        ClientStreams client = new ClientStreams();
        CompletableFuture<Integer> exit = async(() -> backends()
                .containerStreams()
                .exec(exec(id, List.of("sleep", "1001"), false), client.streams(true, true, true)));
        pods.awaitProcess(id, "sleep 1001", true, WAIT);

        client.leave();

        assertThat(exit.get(15, TimeUnit.SECONDS)).isEqualTo(137);
        pods.awaitProcess(id, "sleep 1001", false, WAIT);
    }

    @Test
    void clientLeavingKillsTheExecdProcessOnATty() throws Exception {
        String id = sleeper("exec-leave-tty");
        ClientStreams client = new ClientStreams();
        CompletableFuture<Integer> exit = async(() -> backends()
                .containerStreams()
                .exec(exec(id, List.of("sleep", "1001"), true), client.streams(true, true, false)));
        pods.awaitProcess(id, "sleep 1001", true, WAIT);

        client.leave();

        exit.get(15, TimeUnit.SECONDS);
        pods.awaitProcess(id, "sleep 1001", false, WAIT);
    }

    @Test
    void aClientThatCannotBeWrittenToEndsTheExec() throws Exception {
        String id = sleeper("exec-broken-client");
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("the client has gone away");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("the client has gone away");
            }
        };
        ClientStreams client = new ClientStreams();
        RemoteStreams streams = new RemoteStreams(null, broken, null, client.resizes(), new CompletableFuture<>());

        int exit = backends()
                .containerStreams()
                .exec(exec(id, List.of("sh", "-c", "while true; do echo x; sleep 0.1; done"), false), streams);

        // killed (SIGKILL), or first hit by SIGPIPE on the output pipe berthd stopped reading
        assertThat(exit).isIn(137, 141);
    }

    @Test
    void execsLeaveNoFileDescriptorsOpen() throws Exception {
        String id = sleeper("exec-fds");
        PodWiring backends = backends();
        for (int i = 0; i < 2; i++) {
            backends.containerStreams()
                    .exec(exec(id, List.of("true"), i % 2 == 0), new ClientStreams().streams(false, true, false));
        }
        long before = openFds();
        for (int i = 0; i < 10; i++) {
            ClientStreams client = new ClientStreams();
            assertThat(backends.containerStreams()
                            .exec(exec(id, List.of("echo", "x"), i % 2 == 0), client.streams(false, true, false)))
                    .isZero();
        }
        assertThat(openFds()).isLessThan(before + 5);
    }

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void attachCopiesStdinToTheContainerAndItsOutputBack() throws Exception {
        PodSandboxConfig pod = pods.pod("attach-echo").build();
        String podId = pods.run(pod);
        String id = pods.createAndStart(
                podId,
                pod,
                pods.container("echoer", busybox, "sh", "-c", "while read l; do echo got:$l; done")
                        .setStdin(true)
                        .setStdinOnce(false)
                        .build());
        ClientStreams client = new ClientStreams();
        CompletableFuture<Boolean> attached = async(() -> {
            backends().containerStreams().attach(id, false, client.streams(true, true, true));
            return true;
        });

        client.type("one\n");
        client.stdout().await("got:one\n", WAIT);
        client.type("two\n");
        client.stdout().await("got:two\n", WAIT);
        client.leave();

        assertThat(attached.get(15, TimeUnit.SECONDS)).isTrue();
        assertThat(pods.status(id).getState()).isEqualTo(dev.berth.cri.v1.ContainerState.CONTAINER_RUNNING);
    }

    @Test
    void attachFollowsOutputUntilTheContainerExits() throws Exception {
        PodSandboxConfig pod = pods.pod("attach-follow").build();
        String podId = pods.run(pod);
        String id = pods.createAndStart(
                podId,
                pod,
                pods.container(
                                "ticker",
                                busybox,
                                "sh",
                                "-c",
                                "i=0; while true; do echo tick$i; echo tock$i >&2; i=$((i+1)); sleep 0.1; done")
                        .build());
        ClientStreams client = new ClientStreams();
        CompletableFuture<Boolean> attached = async(() -> {
            backends().containerStreams().attach(id, false, client.streams(false, true, true));
            return true;
        });

        client.stdout().await("tick", WAIT);
        client.stderr().await("tock", WAIT);
        daemon.runtime()
                .stopContainer(StopContainerRequest.newBuilder()
                        .setContainerId(id)
                        .setTimeout(0)
                        .build());

        assertThat(attached.get(15, TimeUnit.SECONDS)).isTrue();
        assertThat(client.stdout().text()).doesNotContain("tock");
    }

    @Test
    void attachToATerminalPassesResizesToConmon() throws Exception {
        PodSandboxConfig pod = pods.pod("attach-tty").build();
        String podId = pods.run(pod);
        String id = pods.createAndStart(
                podId,
                pod,
                pods.container("shell", busybox, "sh")
                        .setStdin(true)
                        .setTty(true)
                        .build());
        ClientStreams client = new ClientStreams();
        CompletableFuture<Boolean> attached = async(() -> {
            backends().containerStreams().attach(id, true, client.streams(true, true, false));
            return true;
        });

        client.resizes().offer(new TerminalSize(99, 33));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!client.stdout().text().contains("33 99") && System.nanoTime() < deadline) {
            client.type("stty size\n");
            Thread.sleep(200);
        }
        assertThat(client.stdout().text()).contains("33 99");
        client.type("exit\n");

        assertThat(attached.get(15, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void portForwardReachesAServerInThePodsNetwork() throws Exception {
        PodSandboxConfig pod = pods.pod("forward").build();
        String podId = pods.run(pod);
        pods.createAndStart(
                podId,
                pod,
                pods.container(
                                "server",
                                busybox,
                                "sh",
                                "-c",
                                "mkdir -p /tmp/www && echo hello-forwarded > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www")
                        .build());

        assertThat(httpGet(backends(), podId, 8080)).startsWith("HTTP/1.").contains("hello-forwarded");
    }

    @Test
    void portForwardToAClosedPortFailsFast() throws Exception {
        PodSandboxConfig pod = pods.pod("forward-refused").build();
        String podId = pods.run(pod);
        PodWiring backends = backends();
        long started = System.nanoTime();

        assertThatThrownBy(() -> backends.podPorts().connect(podId, 8081))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("connection refused");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void portForwardToAnUnknownPodFails() throws Exception {
        assertThatThrownBy(() -> backends().podPorts().connect("0123456789abcdef", 80))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not found");
    }

    @Test
    void portForwardReachesAServerOfAHostNetworkPod() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        PodSandboxConfig.Builder builder = pods.pod("forward-host").setHostname("");
        builder.getLinuxBuilder()
                .getSecurityContextBuilder()
                .getNamespaceOptionsBuilder()
                .setNetwork(NamespaceMode.NODE);
        PodSandboxConfig pod = builder.build();
        String podId = pods.run(pod);
        pods.createAndStart(
                podId,
                pod,
                pods.container(
                                "server",
                                busybox,
                                "sh",
                                "-c",
                                "mkdir -p /tmp/www && echo hello-host > /tmp/www/index.html && exec httpd -f -p 127.0.0.1:"
                                        + port + " -h /tmp/www")
                        .build());

        assertThat(httpGet(backends(), podId, port)).contains("hello-host");
    }

    /** GET / through a forwarded connection, retried while the server is not listening yet. */
    private static String httpGet(PodWiring backends, String podId, int port) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            SocketChannel channel;
            try {
                channel = backends.podPorts().connect(podId, port);
            } catch (ConnectException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
                continue;
            }
            try (channel) {
                channel.write(ByteBuffer.wrap("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
                StringBuilder response = new StringBuilder();
                ByteBuffer buffer = ByteBuffer.allocate(4096);
                while (channel.read(buffer) >= 0) {
                    buffer.flip();
                    response.append(StandardCharsets.UTF_8.decode(buffer));
                    buffer.clear();
                }
                return response.toString();
            }
        }
    }
}
