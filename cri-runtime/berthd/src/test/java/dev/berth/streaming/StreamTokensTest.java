package dev.berth.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StreamTokensTest {

    private final MutableClock clock = new MutableClock();
    private final StreamTokens tokens = new StreamTokens(clock);
    private final StreamRequest attach =
            new StreamRequest.Attach("c1", new StreamRequest.Channels(false, true, true, false));

    @Test
    void aTokenYieldsItsRequestExactlyOnce() throws Exception {
        String token = tokens.issue(attach);

        assertThat(tokens.consume(token)).contains(attach);
        assertThat(tokens.consume(token)).isEmpty();
    }

    @Test
    void anUnknownTokenYieldsNothing() {
        assertThat(tokens.consume("not-a-token")).isEmpty();
    }

    @Test
    void aTokenExpiresAfterOneMinute() throws Exception {
        String fresh = tokens.issue(attach);
        String stale = tokens.issue(attach);
        clock.advance(Duration.ofSeconds(59));
        assertThat(tokens.consume(fresh)).contains(attach);

        clock.advance(Duration.ofSeconds(1));
        assertThat(tokens.consume(stale)).isEmpty();
    }

    @Test
    void tokensAreUnguessableAndUrlSafe() throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String token = tokens.issue(attach);
            assertThat(token).matches("[A-Za-z0-9_-]{43}");
            seen.add(token);
        }
        assertThat(seen).hasSize(200);
    }

    @Test
    void unusedTokensAreBoundedAndExpiredOnesFreeTheirPlace() throws Exception {
        for (int i = 0; i < StreamTokens.MAX_IN_FLIGHT; i++) {
            tokens.issue(attach);
        }
        assertThatThrownBy(() -> tokens.issue(attach)).isInstanceOf(TooManyStreamRequestsException.class);

        clock.advance(StreamTokens.TTL);
        assertThat(tokens.inFlight()).isZero();
        assertThat(tokens.consume(tokens.issue(attach))).contains(attach);
    }

    @Test
    void requestsRefuseWhatCriRefuses() {
        assertThatThrownBy(() -> new StreamRequest.Channels(true, true, true, true))
                .hasMessageContaining("tty and stderr");
        assertThatThrownBy(() -> new StreamRequest.Channels(false, false, false, false))
                .hasMessageContaining("one of stdin, stdout or stderr");
        assertThatThrownBy(() ->
                        new StreamRequest.Exec("c", List.of(), new StreamRequest.Channels(false, true, false, false)))
                .hasMessageContaining("cmd");
        assertThatThrownBy(() -> new StreamRequest.PortForward("p", List.of(0))).hasMessageContaining("port 0");
        assertThatThrownBy(() -> new StreamRequest.PortForward("p", List.of(65536)))
                .hasMessageContaining("65536");
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T10:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
