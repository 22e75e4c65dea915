package dev.berth.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cri.v1.AttachRequest;
import dev.berth.cri.v1.ExecRequest;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.PortForwardRequest;
import dev.berth.runtime.TerminalSize;
import dev.berth.streaming.StreamRequest.Channels;
import dev.berth.testing.DaemonFixture;
import dev.berth.testing.PodClient;
import dev.berth.testing.PodTestBedExtension;
import dev.berth.testing.SpdyStreamClient;
import dev.berth.testing.SpdyStreamClient.ExecResult;
import dev.berth.testing.StreamingConnections;
import dev.berth.testing.WebSocketStreamClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * kubectl exec, attach and port-forward as kubelet carries them: the CRI call gives a URL, kubelet's SPDY
 * client (or a direct WebSocket client) connects to it, and a real container answers through runc, conmon
 * and the pod's network namespace.
 */
class StreamingIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Channels IN_OUT_ERR = new Channels(true, true, true, false);

    @RegisterExtension
    static final PodTestBedExtension bed =
            new PodTestBedExtension("berthstreams").thenCheck(StreamingIntegrationTest::noStreamOutlivesATest);

    private final DaemonFixture daemon = bed.daemon();
    private final PodClient pods = bed.pods();
    private final String busybox = bed.busybox();
    private final SpdyStreamClient spdy = new SpdyStreamClient();

    @AfterEach
    void closeTheClient() throws Exception {
        spdy.close();
    }

    /** After the pods are gone: no streaming connection and no runc exec outlives a test. */
    private static void noStreamOutlivesATest() throws Exception {
        if (streamingPort > 0) {
            StreamingConnections.awaitNone(streamingPort, WAIT);
        }
        assertThat(ProcessHandle.allProcesses()
                        .map(p -> p.info().commandLine().orElse(""))
                        .filter(cmd -> cmd.contains(" exec ")
                                && cmd.contains(bed.daemon().base().toString())))
                .as("runc exec processes left")
                .isEmpty();
    }

    private String sleeper(String name) {
        PodSandboxConfig pod = pods.pod(name).build();
        return pods.createAndStart(
                pods.run(pod),
                pod,
                pods.container("sleeper", busybox, "sleep", "1000").build());
    }

    /** The streaming server's port, learnt from the first URL a test got. */
    private static int streamingPort;

    private static URI seen(String url) {
        URI uri = URI.create(url);
        streamingPort = uri.getPort();
        return uri;
    }

    private URI execUrl(String containerId, Channels channels, String... cmd) {
        return seen(daemon.runtime()
                .exec(ExecRequest.newBuilder()
                        .setContainerId(containerId)
                        .addAllCmd(List.of(cmd))
                        .setStdin(channels.stdin())
                        .setStdout(channels.stdout())
                        .setStderr(channels.stderr())
                        .setTty(channels.tty())
                        .build())
                .getUrl());
    }

    @Test
    void execUrlPointsAtTheLoopbackStreamingServer() {
        URI url = execUrl(sleeper("exec-url"), IN_OUT_ERR, "true");

        assertThat(url.getScheme()).isEqualTo("http");
        assertThat(url.getHost()).isEqualTo("127.0.0.1");
        assertThat(url.getPath()).matches("/exec/[A-Za-z0-9_-]{43}");
    }

    @Test
    void execOverSpdyEchoesStdinKeepsStderrApartAndReportsTheExitCode() throws Exception {
        String id = sleeper("exec-spdy");

        ExecResult result = spdy.exec(
                execUrl(id, IN_OUT_ERR, "sh", "-c", "cat; echo oops >&2; exit 3"),
                IN_OUT_ERR,
                "hello through kubelet's path".getBytes(StandardCharsets.UTF_8));

        assertThat(result.protocol()).isEqualTo("v5.channel.k8s.io");
        assertThat(result.stdoutText()).isEqualTo("hello through kubelet's path");
        assertThat(result.stderrText()).isEqualTo("oops\n");
        assertThat(result.exitCode()).contains(3);
        assertThat(result.status().orElseThrow().path("reason").asText()).isEqualTo("NonZeroExitCode");
    }

    @Test
    void execWithATtyOverSpdyRunsOnATerminalOfTheRequestedSize() throws Exception {
        String id = sleeper("exec-tty");
        Channels tty = new Channels(true, true, false, true);

        ExecResult result = spdy.exec(
                execUrl(id, tty, "sh", "-c", "sleep 0.5; stty size; test -t 0 && echo is-a-tty"),
                tty,
                new byte[0],
                new TerminalSize(123, 45));

        assertThat(result.stdoutText()).contains("45 123").contains("is-a-tty");
        assertThat(result.exitCode()).contains(0);
    }

    @Test
    void execOfAMissingCommandReportsWhyOnTheErrorStream() throws Exception {
        String id = sleeper("exec-missing");

        ExecResult result = spdy.exec(execUrl(id, IN_OUT_ERR, "/no/such/binary"), IN_OUT_ERR, new byte[0]);

        assertThat(result.status().orElseThrow().path("reason").asText()).isEqualTo("InternalError");
        assertThat(result.status().orElseThrow().path("message").asText()).contains("/no/such/binary");
    }

    @Test
    void anExecUrlServesOneConnectionOnly() throws Exception {
        String id = sleeper("exec-once");
        URI url = execUrl(id, IN_OUT_ERR, "true");
        assertThat(spdy.exec(url, IN_OUT_ERR, new byte[0]).exitCode()).contains(0);

        assertThatThrownBy(() -> spdy.exec(url, IN_OUT_ERR, new byte[0]))
                .isInstanceOfSatisfying(
                        SpdyStreamClient.UpgradeRefusedException.class,
                        e -> assertThat(e.status()).isEqualTo(404));
    }

    /** kubectl cp pipes a tar through exec both ways: {@code tar xmf - -C dir} in, {@code tar cf - path} out. */
    @Test
    void kubectlCpShapedTarStreamsArriveIntactBothWays() throws Exception {
        String id = sleeper("exec-cp");
        byte[] payload = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(payload);
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(tar)) {
            var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("copied.bin");
            entry.setSize(payload.length);
            out.putArchiveEntry(entry);
            out.write(payload);
            out.closeArchiveEntry();
        }

        ExecResult in =
                spdy.exec(execUrl(id, IN_OUT_ERR, "tar", "xmf", "-", "-C", "/tmp"), IN_OUT_ERR, tar.toByteArray());
        assertThat(in.exitCode()).contains(0);
        assertThat(pods.execSync(id, "sha256sum", "/tmp/copied.bin").split("\\s+")[0])
                .isEqualTo(sha256(payload));

        Channels outOnly = new Channels(false, true, true, false);
        ExecResult out =
                spdy.exec(execUrl(id, outOnly, "tar", "cf", "-", "-C", "/tmp", "copied.bin"), outOnly, (byte[]) null);
        assertThat(out.exitCode()).contains(0);
        try (var back = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                new java.io.ByteArrayInputStream(out.stdout()))) {
            assertThat(back.getNextEntry().getName()).isEqualTo("copied.bin");
            assertThat(sha256(back.readAllBytes())).isEqualTo(sha256(payload));
        }
    }

    @Test
    void execInAContainerThatIsNotRunningIsRefused() {
        PodSandboxConfig pod = pods.pod("exec-created").build();
        String id = pods.create(
                pods.run(pod),
                pod,
                pods.container("idle", busybox, "sleep", "1000").build());

        assertThatThrownBy(() -> execUrl(id, IN_OUT_ERR, "true"))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
        assertThatThrownBy(() -> daemon.runtime()
                        .exec(ExecRequest.newBuilder()
                                .setContainerId(id)
                                .addCmd("true")
                                .setStdout(true)
                                .setStderr(true)
                                .setTty(true)
                                .build()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void aClientKilledMidStreamTakesItsProcessWithIt() throws Exception {
        String id = sleeper("exec-killed");
        var connection =
                spdy.connect(execUrl(id, IN_OUT_ERR, "sleep", "1001"), SpdyStreamClient.REMOTE_COMMAND_PROTOCOLS);
        connection.createStream(java.util.Map.of("streamType", "error"));
        connection.createStream(java.util.Map.of("streamType", "stdin"));
        connection.createStream(java.util.Map.of("streamType", "stdout"));
        connection.createStream(java.util.Map.of("streamType", "stderr"));
        pods.awaitProcess(id, "sleep 1001", true, WAIT);

        connection.kill();

        pods.awaitProcess(id, "sleep 1001", false, WAIT);
    }

    @Test
    void execOverWebSocketV5ClosesStdinWithTheCloseSignal() throws Exception {
        String id = sleeper("exec-ws");
        try (WebSocketStreamClient ws = new WebSocketStreamClient()) {
            var result = ws.exec(
                    execUrl(id, IN_OUT_ERR, "sh", "-c", "wc -c; exit 4"),
                    WebSocketStreamClient.V5,
                    "12345".getBytes(StandardCharsets.UTF_8),
                    true);

            assertThat(result.stdoutText().strip()).isEqualTo("5");
            assertThat(result.exitCode()).isEqualTo(4);
        }
    }

    @Test
    void attachOverSpdyFeedsStdinAndFollowsOutputUntilTheContainerExits() throws Exception {
        PodSandboxConfig pod = pods.pod("attach").build();
        String id = pods.createAndStart(
                pods.run(pod),
                pod,
                pods.container("reader", busybox, "sh", "-c", "read line; echo got:$line; echo bye >&2")
                        .setStdin(true)
                        .setStdinOnce(true)
                        .build());
        URI url = seen(daemon.runtime()
                .attach(AttachRequest.newBuilder()
                        .setContainerId(id)
                        .setStdin(true)
                        .setStdout(true)
                        .setStderr(true)
                        .build())
                .getUrl());

        ExecResult result = spdy.exec(url, IN_OUT_ERR, "ping\n".getBytes(StandardCharsets.UTF_8));

        assertThat(result.stdoutText()).isEqualTo("got:ping\n");
        assertThat(result.stderrText()).isEqualTo("bye\n");
        assertThat(result.exitCode()).contains(0);
    }

    @Test
    void portForwardOverSpdyCarriesTenConcurrentConnectionsAndFiftyMegabytesIntact() throws Exception {
        PodSandboxConfig pod = pods.pod("forward").build();
        String podId = pods.run(pod);
        String server = pods.createAndStart(
                podId,
                pod,
                pods.container(
                                "web",
                                busybox,
                                "sh",
                                "-c",
                                "mkdir -p /www && echo small > /www/index.html"
                                        + " && dd if=/dev/urandom of=/www/big bs=1M count=50 2>/dev/null && exec httpd -f -p 8080 -h /www")
                        .build());
        String expected = pods.sha256Once(server, "httpd", "/www/big", WAIT);

        URI url = seen(daemon.runtime()
                .portForward(PortForwardRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .addPort(8080)
                        .build())
                .getUrl());
        try (var session = spdy.openSession(url);
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> small = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                small.add(threads.submit(
                        () -> new String(get(session.connect(8080), "/index.html"), StandardCharsets.UTF_8)));
            }
            byte[] big = get(session.connect(8080), "/big");

            for (Future<String> answer : small) {
                assertThat(answer.get(30, TimeUnit.SECONDS))
                        .startsWith("HTTP/1.")
                        .endsWith("small\n");
            }
            assertThat(sha256(body(big))).isEqualTo(expected);
        }
    }

    @Test
    void portForwardToAClosedPortReportsTheErrorInsteadOfHanging() throws Exception {
        PodSandboxConfig pod = pods.pod("forward-closed").build();
        String podId = pods.run(pod);
        URI url = seen(daemon.runtime()
                .portForward(PortForwardRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .addPort(9)
                        .build())
                .getUrl());

        try (var session = spdy.openSession(url)) {
            var connection = session.connect(9);
            assertThat(connection.awaitError())
                    .contains("error forwarding port 9")
                    .contains("refused");
        }
    }

    private static byte[] get(SpdyStreamClient.Connection connection, String path) throws Exception {
        try (connection) {
            OutputStream out = connection.output();
            out.write(("GET " + path + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.close();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            try (InputStream in = connection.input()) {
                in.transferTo(answer);
            }
            assertThat(connection.awaitError())
                    .as("the error stream of GET %s (after %d bytes)", path, answer.size())
                    .isEmpty();
            return answer.toByteArray();
        }
    }

    private static byte[] body(byte[] response) {
        for (int i = 0; i + 3 < response.length; i++) {
            if (response[i] == '\r' && response[i + 1] == '\n' && response[i + 2] == '\r' && response[i + 3] == '\n') {
                return java.util.Arrays.copyOfRange(response, i + 4, response.length);
            }
        }
        throw new AssertionError("no HTTP header end in " + response.length + " bytes");
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
