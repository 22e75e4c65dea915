package dev.berth.operator.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogLevelTest {
    @AfterEach
    void forget() {
        System.clearProperty(LogLevel.PROPERTY);
    }

    @Test
    void chartsLogLevelTurnsOnDebugForLoggersCreatedAfterwards() {
        LogLevel.apply(Map.of(LogLevel.ENV, "debug"));

        assertThat(LoggerFactory.getLogger("dev.berth.operator.loglevelprobe.Debug")
                        .isDebugEnabled())
                .isTrue();
    }

    @Test
    void chartsLogLevelIsCaseInsensitiveAndCanSilenceInfo() {
        LogLevel.apply(Map.of(LogLevel.ENV, "WARN"));

        assertThat(LoggerFactory.getLogger("dev.berth.operator.loglevelprobe.Warn")
                        .isInfoEnabled())
                .isFalse();
    }

    @Test
    void noLogLevelLeavesTheDefaults() {
        LogLevel.apply(Map.of());

        assertThat(System.getProperty(LogLevel.PROPERTY)).isNull();
    }

    @Test
    void unknownLogLevelIsRejectedWithTheAllowedOnes() {
        assertThatThrownBy(() -> LogLevel.apply(Map.of(LogLevel.ENV, "verbose")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BERTH_LOG_LEVEL")
                .hasMessageContaining("verbose")
                .hasMessageContaining("error, warn, info, debug, trace");
    }
}
