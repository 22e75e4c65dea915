package dev.berth.cli.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cli.CliException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnitsTest {

    @Test
    void sizesAreDecimalWithThreeSignificantDigitsAsDockerShowsThem() {
        assertThat(Units.size(812)).isEqualTo("812B");
        assertThat(Units.size(4_263_000)).isEqualTo("4.26MB");
        assertThat(Units.size(142_300_000)).isEqualTo("142MB");
        assertThat(Units.size(5_600)).isEqualTo("5.6kB");
        assertThat(Units.size(1_000_000_000)).isEqualTo("1GB");
        assertThat(Units.binarySize(64L << 20)).isEqualTo("64MiB");
        assertThat(Units.binarySize(503_808)).isEqualTo("492KiB");
    }

    @Test
    void durationsRoundAsDockersAges() {
        assertThat(Units.duration(Duration.ofMillis(300))).isEqualTo("Less than a second");
        assertThat(Units.duration(Duration.ofSeconds(1))).isEqualTo("1 second");
        assertThat(Units.duration(Duration.ofSeconds(5))).isEqualTo("5 seconds");
        assertThat(Units.duration(Duration.ofSeconds(90))).isEqualTo("About a minute");
        assertThat(Units.duration(Duration.ofMinutes(3))).isEqualTo("3 minutes");
        assertThat(Units.duration(Duration.ofMinutes(65))).isEqualTo("About an hour");
        assertThat(Units.duration(Duration.ofHours(2))).isEqualTo("2 hours");
        assertThat(Units.duration(Duration.ofDays(3))).isEqualTo("3 days");
        assertThat(Units.duration(Duration.ofDays(20))).isEqualTo("2 weeks");
        assertThat(Units.duration(Duration.ofDays(100))).isEqualTo("3 months");
        assertThat(Units.duration(Duration.ofDays(800))).isEqualTo("2 years");
        assertThat(Units.ago(0, 5_000)).isEqualTo("5 seconds ago");
    }

    @Test
    void memorySizesTakeDockersBinaryUnits() {
        assertThat(Units.parseMemory("256m")).isEqualTo(256L << 20);
        assertThat(Units.parseMemory("1g")).isEqualTo(1L << 30);
        assertThat(Units.parseMemory("512k")).isEqualTo(512L << 10);
        assertThat(Units.parseMemory("1048576")).isEqualTo(1L << 20);
        assertThat(Units.parseMemory("1.5GB")).isEqualTo(3L << 29);
        assertThatThrownBy(() -> Units.parseMemory("lots"))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("256m");
    }
}
