package dev.berth.cri;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cri.v1.AttachRequest;
import dev.berth.cri.v1.ExecRequest;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.PortForwardRequest;
import dev.berth.runtime.TerminalSize;
import dev.berth.testing.GoSpdyPeer;
import dev.berth.testing.GoSpdyPeer.Result;
import dev.berth.testing.PodTestBedExtension;
import dev.berth.testing.StreamingConnections;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * berthd's streaming server against the SPDY library kubelet, client-go and crictl use: a Go program on
 * Debian's moby/spdystream ({@link GoSpdyPeer}) plays client-go's exec, attach and port-forward clients
 * against real containers. The Java clients of {@code StreamingIntegrationTest} model spdystream; this proves
 * what Go's framer actually accepts (a SYN_REPLY without a header block once passed the model and failed here).
 */
class GoSpdyPeerIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static final PodTestBedExtension bed =
            new PodTestBedExtension("berthgopeer").thenCheck(GoSpdyPeerIntegrationTest::noStreamOutlivesATest);

    private static GoSpdyPeer peer;
    /** The streaming server's port, learnt from the first URL a test got. */
    private static int streamingPort;

    @BeforeAll
    static void buildThePeer() throws Exception {
        peer = GoSpdyPeer.build();
    }

    private static void noStreamOutlivesATest() throws Exception {
        if (streamingPort > 0) {
            StreamingConnections.awaitNone(streamingPort, WAIT);
        }
    }

    @Test
    void execEchoesStdinKeepsStderrApartAndExitsWithTheRemoteCode() throws Exception {
        String id = sleeper("exec");
        byte[] input = "hello from spdystream\nsecond line".getBytes(StandardCharsets.UTF_8);

        Result result = peer.exec(execUrl(id, false, "sh", "-c", "cat; echo err >&2; exit 3"), input);

        assertThat(result.exitCode()).as(result.stderrText()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo(input);
        assertThat(result.stderrText()).isEqualTo("err\n");
    }

    @Test
    void execWithATtyRunsOnATerminalOfTheSizeSentOnTheResizeStream() throws Exception {
        String id = sleeper("exec-tty");

        Result result = peer.execWithTty(
                execUrl(id, true, "sh", "-c", "sleep 0.5; stty size; test -t 0 && echo is-a-tty"),
                new TerminalSize(123, 45));

        assertThat(result.exitCode()).as(result.stderrText()).isZero();
        assertThat(result.stdoutText()).contains("45 123").contains("is-a-tty");
    }

    @Test
    void attachFeedsStdinToTheContainerAndFollowsItUntilItExits() throws Exception {
        PodSandboxConfig pod = bed.pods().pod("attach").build();
        String id = bed.pods()
                .createAndStart(
                        bed.pods().run(pod),
                        pod,
                        bed.pods()
                                .container(
                                        "reader", bed.busybox(), "sh", "-c", "read line; echo got:$line; echo bye >&2")
                                .setStdin(true)
                                .setStdinOnce(true)
                                .build());
        URI url = seen(bed.daemon()
                .runtime()
                .attach(AttachRequest.newBuilder()
                        .setContainerId(id)
                        .setStdin(true)
                        .setStdout(true)
                        .setStderr(true)
                        .build())
                .getUrl());

        Result result = peer.exec(url, "ping\n".getBytes(StandardCharsets.UTF_8));

        assertThat(result.exitCode()).as(result.stderrText()).isZero();
        assertThat(result.stdoutText()).isEqualTo("got:ping\n");
        assertThat(result.stderrText()).isEqualTo("bye\n");
    }

    @Test
    void portForwardCarriesTwentyMegabytesFromHttpdIntact() throws Exception {
        PodSandboxConfig pod = bed.pods().pod("forward").build();
        String podId = bed.pods().run(pod);
        String server = bed.pods()
                .createAndStart(
                        podId,
                        pod,
                        bed.pods()
                                .container(
                                        "web",
                                        bed.busybox(),
                                        "sh",
                                        "-c",
                                        "mkdir -p /www && dd if=/dev/urandom of=/www/big bs=1M count=20 2>/dev/null"
                                                + " && exec httpd -f -p 8080 -h /www")
                                .build());
        String expected = bed.pods().sha256Once(server, "httpd", "/www/big", WAIT);
        URI url = seen(bed.daemon()
                .runtime()
                .portForward(PortForwardRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .addPort(8080)
                        .build())
                .getUrl());

        Result result = peer.portForward(url, 8080, "GET /big HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        assertThat(result.exitCode()).as(result.stderrText()).isZero();
        assertThat(result.stdoutText()).startsWith("HTTP/1.");
        byte[] body = body(result.stdout());
        assertThat(body).hasSize(20 << 20);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)))
                .isEqualTo(expected);
    }

    @Test
    void portForwardToARefusedPortReportsItOnTheErrorStreamAndEndsPromptly() throws Exception {
        PodSandboxConfig pod = bed.pods().pod("forward-refused").build();
        String podId = bed.pods().run(pod);
        URI url = seen(bed.daemon()
                .runtime()
                .portForward(PortForwardRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .addPort(9)
                        .build())
                .getUrl());

        Result result = peer.portForward(url, 9, "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        assertThat(result.exitCode()).as(result.stderrText()).isEqualTo(1);
        assertThat(result.stderrText()).contains("port 9").contains("refused");
        assertThat(result.stdout()).isEmpty();
        assertThat(result.took()).isLessThan(Duration.ofSeconds(10));
    }

    private static String sleeper(String name) {
        PodSandboxConfig pod = bed.pods().pod(name).build();
        return bed.pods()
                .createAndStart(
                        bed.pods().run(pod),
                        pod,
                        bed.pods()
                                .container("sleeper", bed.busybox(), "sleep", "1000")
                                .build());
    }

    private static URI execUrl(String containerId, boolean tty, String... cmd) {
        return seen(bed.daemon()
                .runtime()
                .exec(ExecRequest.newBuilder()
                        .setContainerId(containerId)
                        .addAllCmd(List.of(cmd))
                        .setStdin(true)
                        .setStdout(true)
                        .setStderr(!tty)
                        .setTty(tty)
                        .build())
                .getUrl());
    }

    private static URI seen(String url) {
        URI uri = URI.create(url);
        streamingPort = uri.getPort();
        return uri;
    }

    private static byte[] body(byte[] response) {
        for (int i = 0; i + 3 < response.length; i++) {
            if (response[i] == '\r' && response[i + 1] == '\n' && response[i + 2] == '\r' && response[i + 3] == '\n') {
                return Arrays.copyOfRange(response, i + 4, response.length);
            }
        }
        throw new AssertionError("no HTTP header end in " + response.length + " bytes");
    }
}
