package dev.berth.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testkit.Privileges;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Runs {@link PullBenchmark} under `./berth bench` (-Dberth.bench=true); the normal test pass skips it. */
class PullBenchmarkTest {

    @Test
    void pullBenchmarkTimesBerthdAndContainerdThroughTheirCriSockets() throws Exception {
        Assumptions.assumeTrue(
                Boolean.getBoolean("berth.bench") || "true".equals(System.getenv("BERTH_BENCH")),
                "benchmark: run with ./berth bench");
        Privileges.requireRoot();

        PullBenchmark.Result result = PullBenchmark.run();

        assertThat(result.berthdMillis()).hasSize(PullBenchmark.RUNS).allMatch(ms -> ms > 0);
        assertThat(result.containerdMillis()).hasSize(PullBenchmark.RUNS).allMatch(ms -> ms > 0);
        assertThat(result.containerdRssKib()).isPositive();
        assertThat(result.imageBytes()).isGreaterThan(40_000_000);
    }
}
