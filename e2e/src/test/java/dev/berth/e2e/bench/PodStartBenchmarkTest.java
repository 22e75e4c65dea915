package dev.berth.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testkit.Privileges;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link PodStartBenchmark} under `./berth bench` (-Dberth.bench=true); the normal test pass skips
 * it. -Dberth.bench.pods=N runs fewer pods for a quick check of the machinery.
 */
class PodStartBenchmarkTest {

    @Test
    void podStartBenchmarkPrintsMediansForBerthdContainerdAndTheRuncFloor() throws Exception {
        Assumptions.assumeTrue(
                Boolean.getBoolean("berth.bench") || "true".equals(System.getenv("BERTH_BENCH")),
                "benchmark: run with ./berth bench");
        Privileges.requireRoot();
        int pods = Integer.getInteger("berth.bench.pods", PodStartBenchmark.DEFAULT_PODS);

        PodStartBenchmark.Result result = PodStartBenchmark.run(pods);

        assertThat(result.floor().podStartMillis()).hasSize(pods - 1).allMatch(ms -> ms > 0);
        if (result.containerd().ran()) {
            assertThat(result.containerd().podStartMillis()).hasSize(pods - 1);
            assertThat(result.containerd().listedContainers()).isEqualTo(pods);
        }
        if (result.berthd().ran()) {
            assertThat(result.berthd().podStartMillis()).hasSize(pods - 1);
            assertThat(result.berthd().listedContainers()).isEqualTo(pods);
        }
    }
}
