package dev.berth.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Runs {@link OperatorBenchmark} under `./berth bench` (-Dberth.bench=true); the normal test pass skips it. */
class OperatorBenchmarkTest {

    @Test
    void fiveHundredAppsGetDeploymentsAndStatusesInBothVariants() throws Exception {
        Assumptions.assumeTrue(
                Boolean.getBoolean("berth.bench") || "true".equals(System.getenv("BERTH_BENCH")),
                "benchmark: run with ./berth bench");

        List<OperatorBenchmark.Figures> figures = OperatorBenchmark.run();

        assertThat(figures).hasSize(2).allSatisfy(f -> {
            assertThat(f.deploymentsSeconds()).isPositive();
            assertThat(f.statusesSeconds()).isPositive();
            assertThat(f.rssAfterKib()).isPositive();
        });
    }
}
