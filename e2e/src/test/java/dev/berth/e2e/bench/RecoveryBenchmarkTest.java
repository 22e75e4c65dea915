package dev.berth.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testkit.Privileges;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link RecoveryBenchmark} under `./berth bench` (-Dberth.bench=true); the normal test pass skips it.
 * -Dberth.bench.recoveryRuns=N restarts N times per size (default 3); -Dberth.bench.recoveryPods=0,10,50 sets the sizes.
 */
class RecoveryBenchmarkTest {

    @Test
    void recoveryBenchmarkPrintsTimeToServeAndToRecoverWith0To50HalfMadePods() throws Exception {
        Assumptions.assumeTrue(
                Boolean.getBoolean("berth.bench") || "true".equals(System.getenv("BERTH_BENCH")),
                "benchmark: run with ./berth bench");
        Privileges.requireRoot();
        int runs = Integer.getInteger("berth.bench.recoveryRuns", 3);
        String sizesProperty = System.getProperty("berth.bench.recoveryPods");
        List<Integer> sizes = sizesProperty == null
                ? RecoveryBenchmark.DEFAULT_SIZES
                : Stream.of(sizesProperty.split(","))
                        .map(String::strip)
                        .map(Integer::valueOf)
                        .toList();

        RecoveryBenchmark.Result result = RecoveryBenchmark.run(sizes, runs);

        assertThat(result.samples()).hasSize(sizes.size() * runs);
        assertThat(result.samples()).allMatch(s -> s.servingMillis() > 0 && s.recoveredMillis() >= s.servingMillis());
    }
}
