package dev.berth.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testkit.Privileges;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link DeletionBenchmark} under `./berth bench` (-Dberth.bench=true); the normal test pass skips it.
 * -Dberth.bench.deletionRounds=N runs N rounds instead of {@value DeletionBenchmark#DEFAULT_ROUNDS}.
 */
class DeletionBenchmarkTest {

    @Test
    void deletionBenchmarkPrintsBerthdBesideContainerdForKubeletOrderedAndShortDeletions() throws Exception {
        Assumptions.assumeTrue(
                Boolean.getBoolean("berth.bench") || "true".equals(System.getenv("BERTH_BENCH")),
                "benchmark: run with ./berth bench");
        Privileges.requireRoot();
        int rounds = Integer.getInteger("berth.bench.deletionRounds", DeletionBenchmark.DEFAULT_ROUNDS);

        DeletionBenchmark.Result result = DeletionBenchmark.run(rounds);

        for (DeletionBenchmark.Column column : java.util.List.of(result.berthd(), result.containerd())) {
            assertThat(column.millis().get(DeletionLane.KUBELET_TOTAL))
                    .as(column.name())
                    .hasSize(rounds - 1)
                    .allMatch(ms -> ms > 0);
            assertThat(column.millis().get(DeletionLane.STOP_REMOVE))
                    .as(column.name())
                    .hasSize(rounds - 1);
        }
    }
}
