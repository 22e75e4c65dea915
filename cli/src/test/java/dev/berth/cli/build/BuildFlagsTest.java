package dev.berth.cli.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.v1.NetworkMode;
import dev.berth.cli.CliException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildFlagsTest {

    @Test
    void aBuildArgWithoutValueComesFromTheEnvironmentOrIsLeftOut() {
        assertThat(BuildFlags.buildArgs(List.of("A=1", "B", "C", "D=x=y", "E="), Map.of("B", "from env")))
                .containsExactly(
                        Map.entry("A", "1"), Map.entry("B", "from env"), Map.entry("D", "x=y"), Map.entry("E", ""));
        assertThatThrownBy(() -> BuildFlags.buildArgs(List.of("=v"), Map.of())).isInstanceOf(CliException.class);
    }

    @Test
    void labelsNetworksAndCpusParseAsDockersFlags() {
        assertThat(BuildFlags.labels(List.of("team=core", "flag")))
                .containsExactly(Map.entry("team", "core"), Map.entry("flag", ""));
        assertThat(BuildFlags.network("none")).isEqualTo(NetworkMode.NETWORK_NONE);
        assertThat(BuildFlags.network("host")).isEqualTo(NetworkMode.NETWORK_HOST);
        assertThat(BuildFlags.network("default")).isEqualTo(NetworkMode.NETWORK_DEFAULT);
        assertThatThrownBy(() -> BuildFlags.network("bridge"))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("default, none or host");
        assertThat(BuildFlags.cpuMillis("1.5")).isEqualTo(1500);
        assertThatThrownBy(() -> BuildFlags.cpuMillis("lots")).isInstanceOf(CliException.class);
    }
}
