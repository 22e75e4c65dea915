package dev.berth.streaming.websocket;

import static dev.berth.streaming.websocket.WebSocketServerFixture.exec;
import static dev.berth.streaming.websocket.WebSocketServerFixture.stdio;
import static dev.berth.testing.WebSocketStreamClient.ERROR;
import static dev.berth.testing.WebSocketStreamClient.STDERR;
import static dev.berth.testing.WebSocketStreamClient.STDIN;
import static dev.berth.testing.WebSocketStreamClient.STDOUT;
import static dev.berth.testing.WebSocketStreamClient.V1;
import static dev.berth.testing.WebSocketStreamClient.V1_BASE64;
import static dev.berth.testing.WebSocketStreamClient.V4;
import static dev.berth.testing.WebSocketStreamClient.V4_BASE64;
import static dev.berth.testing.WebSocketStreamClient.V5;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.runtime.TerminalSize;
import dev.berth.streaming.StreamRequest;
import dev.berth.testing.ChannelSocket;
import dev.berth.testing.WebSocketStreamClient;
import dev.berth.testing.WebSocketStreamClient.ExecResult;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebSocketRemoteCommandTest {

    private static final byte[] HELLO = "hello\n".getBytes(StandardCharsets.UTF_8);

    private WebSocketServerFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new WebSocketServerFixture();
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    void v5CloseSignalEndsStdinAndSuccessIsAStatus() throws Exception {
        byte[] input = "line one\nline two, no newline".getBytes(StandardCharsets.UTF_8);

        ExecResult result = fixture.client.exec(fixture.url(exec(stdio(), "cat")), V5, input, true);

        assertThat(result.subprotocol()).isEqualTo(V5);
        assertThat(result.stdout()).isEqualTo(input);
        assertThat(fixture.backends.stdinEnded).isDone();
        assertThat(result.status().path("status").asText()).isEqualTo("Success");
        assertThat(result.exitCode()).isZero();
        assertThat(result.closeCode()).isEqualTo(1000);
    }

    @Test
    void firstMessageIsAnEmptyOneOnTheLowestWrittenChannel() throws Exception {
        ExecResult withStdout = fixture.client.exec(fixture.url(exec(stdio(), "line")), V4, HELLO, false);
        ExecResult stderrOnly = fixture.client.exec(
                fixture.url(exec(new StreamRequest.Channels(false, false, true, false), "fail", "1", "x")),
                V4,
                null,
                false);
        ExecResult stdinOnly = fixture.client.exec(
                fixture.url(exec(new StreamRequest.Channels(true, false, false, false), "line")), V4, HELLO, false);

        assertThat(withStdout.messages().getFirst().channel()).isEqualTo(STDOUT);
        assertThat(withStdout.messages().getFirst().data()).isEmpty();
        assertThat(stderrOnly.messages().getFirst().channel()).isEqualTo(STDERR);
        assertThat(stderrOnly.messages().getFirst().data()).isEmpty();
        assertThat(stdinOnly.messages().getFirst().channel()).isEqualTo(ERROR);
        assertThat(stdinOnly.messages().getFirst().data()).isEmpty();
    }

    @Test
    void v4NonZeroExitIsAStatusWithTheExitCodeCause() throws Exception {
        ExecResult result = fixture.client.exec(fixture.url(exec(stdio(), "fail", "3", "oops")), V4, null, false);

        assertThat(result.stderrText()).isEqualTo("oops");
        JsonNode status = result.status();
        assertThat(status.path("status").asText()).isEqualTo("Failure");
        assertThat(status.path("reason").asText()).isEqualTo("NonZeroExitCode");
        JsonNode cause = status.path("details").path("causes").get(0);
        assertThat(cause.path("reason").asText()).isEqualTo("ExitCode");
        assertThat(cause.path("message").asText()).isEqualTo("3");
        assertThat(result.exitCode()).isEqualTo(3);
    }

    @Test
    void channelK8sIoReportsFailureAsTextAndSuccessAsNothing() throws Exception {
        ExecResult failed = fixture.client.exec(fixture.url(exec(stdio(), "fail", "3", "oops")), V1, null, false);
        ExecResult succeeded = fixture.client.exec(fixture.url(exec(stdio(), "line")), V1, HELLO, false);

        assertThat(failed.error())
                .startsWith("command terminated with non-zero exit code")
                .endsWith("exit status 3");
        assertThat(failed.exitCode()).isEqualTo(3);
        assertThat(succeeded.stdout()).isEqualTo(HELLO);
        assertThat(succeeded.error()).isEmpty();
        assertThat(succeeded.messages()).noneMatch(message -> message.channel() == ERROR);
    }

    @ParameterizedTest
    @ValueSource(strings = {V1_BASE64, V4_BASE64})
    void base64ProtocolsCarryBinaryBytesAsText(String subprotocol) throws Exception {
        byte[] input = {(byte) 0xff, 0, (byte) 0x80, 'a', '\n'};

        ExecResult result = fixture.client.exec(fixture.url(exec(stdio(), "line")), subprotocol, input, false);

        assertThat(result.subprotocol()).isEqualTo(subprotocol);
        assertThat(result.stdout()).isEqualTo(input);
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void noSubprotocolIsTheLegacyBinaryFraming() throws Exception {
        ExecResult result = fixture.client.exec(fixture.url(exec(stdio(), "fail", "2", "bad")), null, null, false);

        assertThat(result.subprotocol()).isEmpty();
        assertThat(result.stderrText()).isEqualTo("bad");
        assertThat(result.exitCode()).isEqualTo(2);
    }

    @Test
    void theClientsOrderOfPreferenceDecides() throws Exception {
        try (ChannelSocket channels =
                fixture.client.connect(fixture.url(exec(stdio(), "line")), "unknown.k8s.io", V1, V5, V4)) {
            assertThat(channels.subprotocol()).isEqualTo(V1);
            channels.send(STDIN, HELLO);
            assertThat(WebSocketStreamClient.collect(channels).stdout()).isEqualTo(HELLO);
        }
    }

    @Test
    void unsupportedSubprotocolsAreForbidden() throws Exception {
        URI url = fixture.url(exec(stdio(), "line"));

        assertThatThrownBy(() -> fixture.client.connect(url, "v3.channel.k8s.io", "portforward.k8s.io"))
                .isInstanceOfSatisfying(
                        WebSocketStreamClient.RefusedException.class,
                        refused -> assertThat(refused.status()).isEqualTo(403));
    }

    @Test
    void aUsedTokenIsNotFound() throws Exception {
        URI url = fixture.url(exec(stdio(), "line"));
        fixture.client.exec(url, V4, HELLO, false);

        assertThatThrownBy(() -> fixture.client.connect(url, V4))
                .isInstanceOfSatisfying(
                        WebSocketStreamClient.RefusedException.class,
                        refused -> assertThat(refused.status()).isEqualTo(404));
    }

    @Test
    void resizesReachTheTerminalInOrder() throws Exception {
        StreamRequest.Channels tty = new StreamRequest.Channels(true, true, false, true);

        ExecResult result =
                fixture.client.exec(fixture.url(exec(tty, "resize", "1")), V5, null, false, new TerminalSize(80, 24));
        ExecResult two;
        try (ChannelSocket channels = fixture.client.connect(fixture.url(exec(tty, "resize", "2")), V4)) {
            // two sizes in one message, then one split across two: the channel is a stream of JSON objects
            channels.send(WebSocketStreamClient.RESIZE, "{\"Width\":100,\"Height\":40}{\"Width\":1".getBytes());
            channels.send(WebSocketStreamClient.RESIZE, "20,\"Height\":50}".getBytes());
            two = WebSocketStreamClient.collect(channels);
        }

        assertThat(result.stdoutText()).isEqualTo("80x24\n");
        assertThat(fixture.backends.resizes).startsWith(new TerminalSize(80, 24));
        // only the newest size matters to a terminal, so the queue may skip 100x40
        assertThat(two.stdoutText()).endsWith("120x50\n");
    }

    @Test
    void aCommandThatCannotRunIsAnInternalErrorStatus() throws Exception {
        ExecResult result = fixture.client.exec(fixture.url(exec(stdio(), "missing")), V4, null, false);

        assertThat(result.status().path("reason").asText()).isEqualTo("InternalError");
        assertThat(result.status().path("message").asText()).contains("executable file not found");
        assertThat(result.closeCode()).isEqualTo(1000);
    }

    @Test
    void outputLargerThanAFrameArrivesWhole() throws Exception {
        ExecResult result = fixture.client.exec(fixture.url(exec(stdio(), "big", "1000000")), V5, null, false);

        assertThat(result.stdout()).hasSize(1_000_000);
        for (int i = 0; i < result.stdout().length; i += 4099) {
            assertThat(result.stdout()[i]).isEqualTo((byte) (i * 31));
        }
        assertThat(result.messages()).allMatch(message -> message.data().length <= 32 * 1024);
    }

    @Test
    void attachCopiesStdio() throws Exception {
        ExecResult result =
                fixture.client.exec(fixture.url(new StreamRequest.Attach("ctr-1", stdio())), V5, HELLO, false);

        assertThat(result.stdout()).isEqualTo(HELLO);
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void pingsAreAnswered() throws Exception {
        try (ChannelSocket channels = fixture.client.connect(fixture.url(exec(stdio(), "line")), V5)) {
            assertThat(channels.ping(new byte[] {1, 2, 3})).containsExactly(1, 2, 3);
            channels.send(STDIN, HELLO);
            assertThat(WebSocketStreamClient.collect(channels).stdout()).isEqualTo(HELLO);
        }
    }

    @Test
    void aClientThatLeavesEndsStdinAndFailsWritesAndTheBackendIsTold() throws Exception {
        ChannelSocket channels = fixture.client.connect(fixture.url(exec(stdio(), "stream")), V5);
        assertThat(channels.receive()).isPresent();
        assertThat(channels.receive()).isPresent();

        channels.abort();

        fixture.backends.clientGoneSeen.get(5, TimeUnit.SECONDS);
        fixture.backends.stdinEnded.get(5, TimeUnit.SECONDS);
        assertThat(fixture.backends.writeFailed.get(5, TimeUnit.SECONDS)).hasMessageContaining("gone away");
    }

    @Test
    void aClientsCloseFrameIsAnsweredAndEndsTheSession() throws Exception {
        ChannelSocket channels = fixture.client.connect(fixture.url(exec(stdio(), "stream")), V4);
        assertThat(channels.receive()).isPresent();

        channels.close();

        assertThat(channels.closeCode()).isEqualTo(1000);
        fixture.backends.clientGoneSeen.get(5, TimeUnit.SECONDS);
        assertThat(fixture.backends.writeFailed.get(5, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void fragmentedClientMessagesAreJoined() throws Exception {
        byte[] input = new byte[200_000];
        for (int i = 0; i < input.length; i++) {
            input[i] = (byte) ('a' + i % 26);
        }
        try (ChannelSocket channels = fixture.client.connect(fixture.url(exec(stdio(), "cat")), V5)) {
            channels.sendFragmented(STDIN, input, 7);
            channels.closeChannel(STDIN);
            ExecResult result = WebSocketStreamClient.collect(channels);
            assertThat(result.stdout()).isEqualTo(input);
            assertThat(result.exitCode()).isZero();
        }
    }
}
