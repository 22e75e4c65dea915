package dev.berth.streaming.spdy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.TerminalSize;
import dev.berth.streaming.StreamRequest.Channels;
import dev.berth.testing.SpdyClientConnection;
import dev.berth.testing.SpdyStreamClient;
import dev.berth.testing.SpdyStreamClient.ExecResult;
import dev.berth.testing.SpdyStreamClient.UpgradeRefusedException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SpdyRemoteCommandTest {

    private static final Channels ALL = new Channels(true, true, true, false);
    private static final Channels TTY = new Channels(true, true, false, true);

    private SpdyTestServer server;
    private SpdyStreamClient client;

    @BeforeEach
    void start() throws Exception {
        server = new SpdyTestServer();
        client = new SpdyStreamClient();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void clientGoOffersAreAnsweredWithV5ServedAsV4() throws Exception {
        ExecResult result = client.exec(server.exec(ALL, "echo"), ALL, "hello".getBytes(StandardCharsets.UTF_8));

        assertThat(result.protocol()).isEqualTo("v5.channel.k8s.io");
        assertThat(result.stdoutText()).isEqualTo("hello");
        assertThat(result.stderrText()).isEqualTo("to stderr\n");
        assertThat(result.exitCode()).contains(0);
        assertThat(result.status().orElseThrow().path("status").asText()).isEqualTo("Success");
    }

    @Test
    void olderClientsGetTheNewestVersionTheyOffer() throws Exception {
        for (List<String> offered : List.of(
                List.of("v3.channel.k8s.io", "v2.channel.k8s.io"),
                List.of("v2.channel.k8s.io"),
                List.of("channel.k8s.io"),
                List.of("v9.channel.k8s.io, v3.channel.k8s.io"))) {
            ExecResult result = client.exec(server.exec(ALL, "echo"), offered, ALL, InputStream.nullInputStream());
            assertThat(result.protocol())
                    .as("offered %s", offered)
                    .isEqualTo(offered.getLast().contains(",") ? "v3.channel.k8s.io" : offered.getFirst());
            assertThat(result.stderrText()).isEqualTo("to stderr\n");
        }
    }

    @Test
    void aClientWithoutVersionsGetsTheUnversionedProtocol() throws Exception {
        ExecResult result = client.exec(server.exec(ALL, "echo", "2"), List.of(), ALL, InputStream.nullInputStream());

        assertThat(result.protocol()).isEqualTo("channel.k8s.io");
        assertThat(result.errorText()).contains("exit status 2");
    }

    @Test
    void noCommonVersionIsForbiddenWithTheAcceptedList() throws Exception {
        URI url = server.exec(ALL, "echo");

        assertThatThrownBy(() -> client.connect(url, List.of("v9.channel.k8s.io")))
                .isInstanceOfSatisfying(UpgradeRefusedException.class, refused -> {
                    assertThat(refused.status()).isEqualTo(403);
                    assertThat(refused.headers().getAll("X-Accepted-Stream-Protocol-Versions"))
                            .containsExactly(
                                    "v5.channel.k8s.io",
                                    "v4.channel.k8s.io",
                                    "v3.channel.k8s.io",
                                    "v2.channel.k8s.io",
                                    "channel.k8s.io");
                    assertThat(refused.body())
                            .isEqualTo("unable to upgrade: unable to negotiate protocol: client "
                                    + "supports [v9.channel.k8s.io], server accepts [v5.channel.k8s.io v4.channel.k8s.io v3.channel.k8s.io "
                                    + "v2.channel.k8s.io channel.k8s.io]\n");
                });
    }

    @Test
    void nonZeroExitIsAV4StatusWithTheExitCode() throws Exception {
        ExecResult result = client.exec(server.exec(ALL, "echo", "3"), ALL, new byte[0]);

        assertThat(result.exitCode()).contains(3);
        assertThat(result.status().orElseThrow().path("reason").asText()).isEqualTo("NonZeroExitCode");
        assertThat(result.status()
                        .orElseThrow()
                        .path("details")
                        .path("causes")
                        .get(0)
                        .path("message")
                        .asText())
                .isEqualTo("3");
    }

    @Test
    void beforeV4TheErrorStreamCarriesText() throws Exception {
        for (String version : List.of("v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io")) {
            ExecResult failed =
                    client.exec(server.exec(ALL, "echo", "3"), List.of(version), ALL, InputStream.nullInputStream());
            ExecResult succeeded =
                    client.exec(server.exec(ALL, "echo"), List.of(version), ALL, InputStream.nullInputStream());

            assertThat(failed.errorText())
                    .as(version)
                    .isEqualTo("command terminated with non-zero exit code: error executing command, exit status 3");
            assertThat(succeeded.errorStream()).as(version).isEmpty();
        }
    }

    @Test
    void aCommandThatCannotStartIsAnInternalError() throws Exception {
        ExecResult result = client.exec(server.exec(ALL, "missing"), ALL, new byte[0]);

        assertThat(result.exitCode()).isEmpty();
        assertThat(result.status().orElseThrow().path("reason").asText()).isEqualTo("InternalError");
        assertThat(result.status().orElseThrow().path("message").asText()).contains("executable file not found");
    }

    @Test
    void stdinReachesTheCommandAndItsCloseEndsIt() throws Exception {
        byte[] input = "line one\nline two\n".repeat(1000).getBytes(StandardCharsets.UTF_8);

        ExecResult result = client.exec(server.exec(ALL, "echo"), ALL, input);

        assertThat(result.stdout()).isEqualTo(input);
        assertThat(server.backends.stdinEnded).isDone();
    }

    @Test
    void resizesReachTheTerminalInOrder() throws Exception {
        ExecResult result = client.exec(
                server.exec(TTY, "resizes", "120"),
                TTY,
                (byte[]) null,
                new TerminalSize(80, 24),
                new TerminalSize(100, 30),
                new TerminalSize(120, 40));

        assertThat(result.exitCode()).contains(0);
        // the queue keeps only the newest size when the reader is behind, so the last one always arrives
        assertThat(server.backends.resizes).isNotEmpty().endsWith(new TerminalSize(120, 40));
        assertThat(server.backends.resizes)
                .isSubsetOf(new TerminalSize(80, 24), new TerminalSize(100, 30), new TerminalSize(120, 40));
    }

    @Test
    void ttyRunsWithoutStderr() throws Exception {
        ExecResult result = client.exec(
                server.exec(TTY, "echo"), TTY, "typed".getBytes(StandardCharsets.UTF_8), new TerminalSize(80, 24));

        assertThat(result.stdoutText()).isEqualTo("typed");
        assertThat(result.stderr()).isEmpty();
        assertThat(server.backends.sawStderr).isFalse();
    }

    @Test
    void fiftyMegabytesOfOutputArriveWhole() throws Exception {
        long size = 50L * 1024 * 1024;
        Channels out = new Channels(false, true, false, false);

        ExecResult result = client.exec(server.exec(out, "generate", Long.toString(size)), out, (byte[]) null);

        assertThat(result.stdout()).hasSize((int) size);
        assertThat(FakeBackends.sha256(new java.io.ByteArrayInputStream(result.stdout())))
                .isEqualTo(FakeBackends.sha256Of(size));
    }

    @Test
    void fiftyMegabytesOfInputArriveWhole() throws Exception {
        long size = 50L * 1024 * 1024;
        Channels inOut = new Channels(true, true, false, false);
        ExecResult result = client.exec(server.exec(inOut, "sha256"), inOut, FakeBackends.generated(size));

        assertThat(result.stdoutText()).isEqualTo(FakeBackends.sha256Of(size));
    }

    @Test
    void aTokenIsGoodForOneConnection() throws Exception {
        URI url = server.exec(ALL, "echo");
        client.exec(url, ALL, new byte[0]);

        assertThatThrownBy(() -> client.exec(url, ALL, new byte[0]))
                .isInstanceOfSatisfying(
                        UpgradeRefusedException.class,
                        refused -> assertThat(refused.status()).isEqualTo(404));
    }

    @Test
    void aKilledClientEndsTheCommandAndLeavesNothing() throws Exception {
        Channels inOut = new Channels(true, true, false, false);
        SpdyClientConnection conn =
                client.connect(server.exec(inOut, "block"), SpdyStreamClient.REMOTE_COMMAND_PROTOCOLS);
        conn.createStream(Map.of("streamType", "error"));
        conn.createStream(Map.of("streamType", "stdin"));
        conn.createStream(Map.of("streamType", "stdout"));
        server.backends.blocking.get(5, TimeUnit.SECONDS);

        conn.kill();

        server.backends.clientGone.get(5, TimeUnit.SECONDS);
        SpdyTestServer.eventually(Duration.ofSeconds(5), () -> {
            assertThat(server.backends.running).hasValue(0);
            assertThat(server.openConnections()).isZero();
        });
    }

    @Test
    void aStreamSilentForTheIdleTimeoutIsClosedAndItsCommandEnded() throws Exception {
        try (SpdyTestServer idle = new SpdyTestServer(Duration.ofMillis(700))) {
            Channels inOut = new Channels(true, true, false, false);
            SpdyClientConnection conn =
                    client.connect(idle.exec(inOut, "block"), SpdyStreamClient.REMOTE_COMMAND_PROTOCOLS);
            conn.createStream(Map.of("streamType", "error"));
            conn.createStream(Map.of("streamType", "stdin"));
            conn.createStream(Map.of("streamType", "stdout"));
            idle.backends.blocking.get(5, TimeUnit.SECONDS);

            conn.closed().get(10, TimeUnit.SECONDS);

            idle.backends.clientGone.get(5, TimeUnit.SECONDS);
            SpdyTestServer.eventually(
                    Duration.ofSeconds(5),
                    () -> assertThat(idle.openConnections()).isZero());
        }
    }

    @Test
    void streamsThatNeverComeCloseTheConnection() throws Exception {
        SpdyClientConnection conn = client.connect(server.exec(ALL, "echo"), SpdyStreamClient.REMOTE_COMMAND_PROTOCOLS);
        conn.createStream(Map.of("streamType", "error"));

        conn.closed().get(SpdyTestServer.STREAM_CREATION_TIMEOUT.toSeconds() + 3, TimeUnit.SECONDS);
        assertThat(server.backends.running).hasValue(0);
    }

    @Test
    void theServerClosesTheConnectionWhenTheCommandEnds() throws Exception {
        SpdyClientConnection conn = client.connect(
                server.exec(new Channels(false, true, false, false), "generate", "10"),
                SpdyStreamClient.REMOTE_COMMAND_PROTOCOLS);
        conn.createStream(Map.of("streamType", "error"));
        var out = conn.createStream(Map.of("streamType", "stdout"));

        assertThat(out.input().readAllBytes()).hasSize(10);
        conn.goneAway().get(5, TimeUnit.SECONDS);
        conn.closed().get(10, TimeUnit.SECONDS);
    }
}
