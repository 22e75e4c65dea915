package dev.berth.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.metrics.MetricsAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** berth.yaml's {@code metrics.address}: loopback port 1338 unless set, {@code ""} off, any address as written. */
class MetricsConfigTest {

    @TempDir
    Path dir;

    private BerthConfig load(String yaml) throws Exception {
        return new ConfigLoader().load(Files.writeString(dir.resolve("berth.yaml"), yaml), true);
    }

    @Test
    void withoutTheKeyMetricsAreOnLoopbackPort1338AndGiveWayToAPortInUse() throws Exception {
        for (BerthConfig config : new BerthConfig[] {BerthConfig.defaults(), load("metrics: {}\n")}) {
            assertThat(config.metricsAddress()).contains(new MetricsAddress("127.0.0.1", 1338));
            assertThat(config.metricsAddressGiven()).isFalse();
        }
    }

    @Test
    void anEmptyAddressTurnsMetricsOff() throws Exception {
        BerthConfig config = load("metrics:\n  address: \"\"\n");

        assertThat(config.metricsAddress()).isEmpty();
    }

    @Test
    void anyAddressTheOperatorWritesIsServedAsWritten() throws Exception {
        BerthConfig config = load("metrics:\n  address: \"[::]:9100\"\n");

        assertThat(config.metricsAddress()).contains(new MetricsAddress("::", 9100));
        assertThat(config.metricsAddressGiven()).isTrue();
    }

    @Test
    void aMalformedAddressOrAnUnknownKeyIsAConfigError() {
        assertThatThrownBy(() -> load("metrics:\n  address: 127.0.0.1\n"))
                .isInstanceOf(ConfigLoader.InvalidConfigException.class)
                .hasMessageContaining("metrics.address: must be host:port");
        assertThatThrownBy(() -> load("metrics:\n  adress: 127.0.0.1:1338\n"))
                .isInstanceOf(ConfigLoader.InvalidConfigException.class)
                .hasMessageContaining("adress");
    }
}
