package dev.berth.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testkit.Privileges;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link PodCycleBenchmark} under `./berth bench` (-Dberth.bench=true); the normal test pass skips it.
 * -Dberth.bench.cycles=N runs N pod cycles instead of {@value PodCycleBenchmark#DEFAULT_CYCLES},
 * -Dberth.bench.cycleClients=N on N clients at once instead of {@value PodCycleBenchmark#DEFAULT_CLIENTS}.
 */
class PodCycleBenchmarkTest {

    @Test
    void podCycleBenchmarkPrintsBerthdsRssAfterTenCyclesAndAfterAllOfThem() throws Exception {
        Assumptions.assumeTrue(
                Boolean.getBoolean("berth.bench") || "true".equals(System.getenv("BERTH_BENCH")),
                "benchmark: run with ./berth bench");
        Privileges.requireRoot();
        int cycles = Integer.getInteger("berth.bench.cycles", PodCycleBenchmark.DEFAULT_CYCLES);
        int clients = Integer.getInteger("berth.bench.cycleClients", PodCycleBenchmark.DEFAULT_CLIENTS);

        PodCycleBenchmark.Result result = PodCycleBenchmark.run(cycles, clients);

        assertThat(result.cycleMillis()).hasSize(cycles);
        assertThat(result.baseline().rssKib()).isPositive();
        assertThat(result.end().rssKib()).isPositive();
        assertThat(result.leftovers().none())
                .as("what the cycles left: %s", result.leftovers())
                .isTrue();
    }
}
