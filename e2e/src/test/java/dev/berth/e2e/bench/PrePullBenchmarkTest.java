package dev.berth.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Runs {@link PrePullBenchmark} under `./berth bench` (-Dberth.bench=true); the normal test pass skips it. */
class PrePullBenchmarkTest {

    @Test
    void twoHundredNodesReportOnePrePulledImage() throws Exception {
        Assumptions.assumeTrue(
                Boolean.getBoolean("berth.bench") || "true".equals(System.getenv("BERTH_BENCH")),
                "benchmark: run with ./berth bench");

        PrePullBenchmark.Figures figures = PrePullBenchmark.run();
        PrePullBenchmark.print(figures);

        assertThat(figures.pulledSeconds()).isPositive();
        assertThat(figures.agentWrites()).isGreaterThanOrEqualTo(PrePullBenchmark.NODES);
    }
}
