package dev.berth.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testkit.Privileges;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Runs {@link FootprintBenchmark} under `./berth bench` (-Dberth.bench=true); the normal test pass skips it. */
class FootprintBenchmarkTest {

    @Test
    void footprintBenchmarkPrintsBerthdsStartMemoryAndListTimesBesideContainerds() throws Exception {
        Assumptions.assumeTrue(
                Boolean.getBoolean("berth.bench") || "true".equals(System.getenv("BERTH_BENCH")),
                "benchmark: run with ./berth bench");
        Privileges.requireRoot();

        FootprintBenchmark.Result result = FootprintBenchmark.run();

        assertThat(result.starts()).hasSize(FootprintBenchmark.STARTS).allMatch(s -> s.servedMillis() > 0);
        assertThat(result.berthdListed()).isEqualTo(FootprintBenchmark.LIST_PODS);
        assertThat(result.containerdListed()).isEqualTo(FootprintBenchmark.LIST_PODS);
        assertThat(result.berthdListMillis()).hasSize(FootprintBenchmark.LIST_CALLS);
        assertThat(result.containerdListMillis()).hasSize(FootprintBenchmark.LIST_CALLS);
        assertThat(result.berthdWarmListMillis()).hasSize(FootprintBenchmark.LIST_CALLS);
        assertThat(result.containerdWarmListMillis()).hasSize(FootprintBenchmark.LIST_CALLS);
        assertThat(result.berthdBusy().rssKib()).isPositive();
        assertThat(result.containerdBusy().rssKib()).isPositive();
    }
}
