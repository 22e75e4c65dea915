package dev.berth.cri;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cri.v1.PodSandboxStatusRequest;
import dev.berth.cri.v1.RemovePodSandboxRequest;
import dev.berth.cri.v1.StopPodSandboxRequest;
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
class RunPodSandboxTimingTest {

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
            System.out.printf(
                    "BENCH default network %s: RunPodSandbox median %.1f ms (p10 %.1f, p90 %.1f), StopPodSandbox median"
                            + " %.1f ms (p10 %.1f, p90 %.1f), n=%d%n",
                    form,
                    percentile(run, 50),
                    percentile(run, 10),
                    percentile(run, 90),
                    percentile(stop, 50),
                    percentile(stop, 10),
                    percentile(stop, 90),
                    ROUNDS);
            LeakCheck.assertNothingLeft(daemon.base(), daemon.network(), MARKER);
        }
    }

    private static double percentile(List<Long> nanos, int percent) {
        List<Long> sorted = nanos.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * percent / 100)) / 1e6;
    }
}
