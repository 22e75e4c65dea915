package dev.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConmonPollTest {

    @Test
    void pollsEveryMillisecondWhileACreateIsYoungThenBackOffToTheCap() {
        assertThat(Conmon.pollInterval(0)).isEqualTo(Duration.ofMillis(1));
        assertThat(Conmon.pollInterval(80_000_000)).isEqualTo(Duration.ofMillis(1));
        assertThat(Conmon.pollInterval(200_000_000)).isEqualTo(Duration.ofMillis(10));
        assertThat(Conmon.pollInterval(5_000_000_000L)).isEqualTo(Duration.ofMillis(20));
    }
}
