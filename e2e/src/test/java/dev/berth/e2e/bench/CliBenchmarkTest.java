package dev.berth.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testkit.Privileges;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Runs {@link CliBenchmark} under `./berth bench` (-Dberth.bench=true); the normal test pass skips it. */
class CliBenchmarkTest {

    @Test
    void cliBenchmarkPrintsPsAndRunMediansBesidePodman() throws Exception {
        Assumptions.assumeTrue(
                Boolean.getBoolean("berth.bench") || "true".equals(System.getenv("BERTH_BENCH")),
                "benchmark: run with ./berth bench");
        Privileges.requireRoot();

        CliBenchmark.Result result = CliBenchmark.run();

        assertThat(result.psMillis()).hasSize(15).allMatch(ms -> ms > 0);
        assertThat(result.berthRunMillis()).hasSize(CliBenchmark.RUN_RUNS).allMatch(ms -> ms > 0);
        assertThat(result.podmanRunMillis()).hasSize(CliBenchmark.RUN_RUNS).allMatch(ms -> ms > 0);
    }
}
