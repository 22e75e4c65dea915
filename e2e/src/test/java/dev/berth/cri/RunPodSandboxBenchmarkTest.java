package dev.berth.cri;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cri.v1.PodSandboxStatusRequest;
import dev.berth.cri.v1.RemovePodSandboxRequest;
import dev.berth.cri.v1.StopPodSandboxRequest;
import dev.berth.e2e.bench.Percentiles;
import dev.berth.testing.DaemonFixture;
import dev.berth.testing.LeakCheck;
import dev.berth.testing.PodClient;
import dev.berth.testkit.Privileges;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RunPodSandbox and StopPodSandbox times of the two forms of the default network, printed as medians (run with
 * {@code -Dberth.bench=true}; the numbers are noisy on a shared machine, so they are reported, not asserted).
 */
class RunPodSandboxBenchmarkTest {

    private static final int WARM_UP = 5;
    private static final int ROUNDS = Integer.getInteger("berth.bench.rounds", 25);
    private static final String MARKER = "berthbench";

    @ParameterizedTest
    @ValueSource(strings = {"netlink", "cni"})
    void podsOfEitherFormGetAnAddressOfTheDefaultNetwork(String form) throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("berth.bench"), "timing loop runs with -Dberth.bench=true");
        Privileges.requireRoot();
        try (DaemonFixture daemon = DaemonFixture.startWithDefaultNetwork(form)) {
            PodClient pods = new PodClient(daemon::runtime, daemon.base().resolve("logs"), MARKER);
            List<Long> run = new ArrayList<>();
            List<Long> stop = new ArrayList<>();
            for (int i = 0; i < WARM_UP + ROUNDS; i++) {
                var config = pods.pod("bench-" + i).build();
                long start = System.nanoTime();
                String id = pods.run(config);
                long ran = System.nanoTime();
                String ip = daemon.runtime()
                        .podSandboxStatus(PodSandboxStatusRequest.newBuilder()
                                .setPodSandboxId(id)
                                .build())
                        .getStatus()
                        .getNetwork()
                        .getIp();
                assertThat(ip).startsWith(daemon.network().prefix());
                long stopStart = System.nanoTime();
                daemon.runtime()
                        .stopPodSandbox(StopPodSandboxRequest.newBuilder()
                                .setPodSandboxId(id)
                                .build());
                long stopped = System.nanoTime();
                daemon.runtime()
                        .removePodSandbox(RemovePodSandboxRequest.newBuilder()
                                .setPodSandboxId(id)
                                .build());
                if (i >= WARM_UP) {
                    run.add(ran - start);
                    stop.add(stopped - stopStart);
                }
            }
            Percentiles first = millis(run);
            Percentiles second = millis(stop);
            System.out.printf(
                    "BENCH default network %s: RunPodSandbox median %.2f ms (p95 %.2f, min %.2f), StopPodSandbox median %.2f ms (p95 %.2f,"
                            + " min %.2f), n=%d%n",
                    form,
                    first.median(),
                    first.p95(),
                    first.min(),
                    second.median(),
                    second.p95(),
                    second.min(),
                    first.count());
            LeakCheck.assertNothingLeft(daemon.base(), daemon.network(), MARKER);
        }
    }

    private static Percentiles millis(List<Long> nanos) {
        return Percentiles.of(nanos.stream().map(n -> n / 1e6).toList());
    }
}
