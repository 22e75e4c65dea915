package dev.berth.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testkit.Privileges;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Runs {@link StreamingBenchmark} under `./berth bench` (-Dberth.bench=true); the normal test pass skips it. */
class StreamingBenchmarkTest {

    @Test
    void streamingBenchmarkPrintsExecLatencyAndPortForwardThroughputBesideTheirFloors() throws Exception {
        Assumptions.assumeTrue(
                Boolean.getBoolean("berth.bench") || "true".equals(System.getenv("BERTH_BENCH")),
                "benchmark: run with ./berth bench");
        Privileges.requireRoot();

        StreamingBenchmark.Result result = StreamingBenchmark.run();

        ExecRoundTrips.Result exec = result.exec();
        assertThat(exec.spdy().exitCodes()).hasSize(StreamingBenchmark.EXECS).containsOnly(0);
        assertThat(exec.webSocket().exitCodes())
                .hasSize(StreamingBenchmark.EXECS)
                .containsOnly(0);
        assertThat(exec.floor().exitCodes()).hasSize(StreamingBenchmark.EXECS).containsOnly(0);
        PortForwardThroughput.Result pf = result.portForward();
        assertThat(pf.forwardBytes()).hasSize(StreamingBenchmark.TRANSFER_RUNS).containsOnly(result.fileBytes());
        assertThat(pf.directBytes()).hasSize(StreamingBenchmark.TRANSFER_RUNS).containsOnly(result.fileBytes());
        assertThat(pf.concurrentForwardBytes())
                .hasSize(StreamingBenchmark.CONCURRENT)
                .containsOnly(result.fileBytes());
        assertThat(pf.concurrentDirectBytes())
                .hasSize(StreamingBenchmark.CONCURRENT)
                .containsOnly(result.fileBytes());
        assertThat(result.leftovers()).as("what the pod's removal left").isEmpty();
    }
}
