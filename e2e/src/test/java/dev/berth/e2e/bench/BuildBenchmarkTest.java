package dev.berth.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testkit.Privileges;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Runs {@link BuildBenchmark} under `./berth bench` (-Dberth.bench=true); the normal test pass skips it. */
class BuildBenchmarkTest {

    @Test
    void buildBenchmarkPrintsColdWarmAndChangedBuildsBesideBuildah() throws Exception {
        Assumptions.assumeTrue(
                Boolean.getBoolean("berth.bench") || "true".equals(System.getenv("BERTH_BENCH")),
                "benchmark: run with ./berth bench");
        Privileges.requireRoot();
        int rounds = Integer.getInteger("berth.bench.buildRounds", 3);

        BuildBenchmark.Result result = BuildBenchmark.run(rounds);

        assertThat(result.timings()).containsOnlyKeys("five-step", "multi-stage");
        result.timings().values().forEach(byCase -> {
            assertThat(byCase).containsOnlyKeys(BuildBenchmark.Case.values());
            byCase.values()
                    .forEach(byEngine -> assertThat(byEngine.get(BuildBenchmark.Engine.BERTHD))
                            .hasSize(rounds)
                            .allMatch(t -> t.wallMillis() > 0));
        });
    }
}
