package dev.berth.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testkit.Privileges;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link PodStartBenchmark} under `./berth bench` (-Dberth.bench=true); the normal test pass skips it.
 * -Dberth.bench.pods=N runs fewer pods for a quick check of the machinery. A lane that cannot run fails it.
 */
class PodStartBenchmarkTest {

    @Test
    void podStartBenchmarkTimesEveryLaneForEveryPod() throws Exception {
        Assumptions.assumeTrue(
                Boolean.getBoolean("berth.bench") || "true".equals(System.getenv("BERTH_BENCH")),
                "benchmark: run with ./berth bench");
        Privileges.requireRoot();
        int pods = Integer.getInteger("berth.bench.pods", PodStartBenchmark.DEFAULT_PODS);

        PodStartBenchmark.Result result = PodStartBenchmark.run(pods);

        for (PodStartBenchmark.Column c : List.of(
                result.berthd(),
                result.containerd(),
                result.floor(),
                result.floorSeccomp(),
                result.berthdKubelet(),
                result.containerdKubelet())) {
            assertThat(c.podStartMillis()).as(c.name()).hasSize(pods - 1).allMatch(ms -> ms > 0);
        }
        for (PodStartBenchmark.Column c : List.of(result.berthd(), result.containerd())) {
            assertThat(c.listedContainers()).as(c.name()).isEqualTo(pods);
            assertThat(c.listContainersMillis()).as(c.name()).hasSize(PodStartBenchmark.LIST_CALLS);
            assertThat(c.removeMillis()).as(c.name()).hasSize(pods);
            assertThat(c.busyRssKib()).as(c.name()).isPositive();
        }
        for (PodStartBenchmark.Column c : List.of(result.berthdKubelet(), result.containerdKubelet())) {
            assertThat(c.stopRemoveMillis()).as(c.name()).hasSize(pods - 1);
        }
        assertThat(result.berthdKubelet().inside().steps()).containsKeys("RunPodSandbox", "CreateContainer");
    }
}
