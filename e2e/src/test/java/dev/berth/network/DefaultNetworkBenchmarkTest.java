package dev.berth.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.e2e.bench.Percentiles;
import dev.berth.metrics.CallDurations;
import dev.berth.process.CommandRunner;
import dev.berth.store.Directories;
import dev.berth.sys.NamespaceCalls;
import dev.berth.testing.PodNetworkFixture;
import dev.berth.testkit.Privileges;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The network part alone of a pod start and stop, per form of the default network, printed as medians (run with
 * {@code -Dberth.bench=true}; a shared machine makes the numbers noisy, so they are reported, not asserted).
 */
class DefaultNetworkBenchmarkTest {

    private static final int WARM_UP = 5;
    private static final int ROUNDS = Integer.getInteger("berth.bench.rounds", 25);

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"NETLINK", "CNI"})
    void setUpAndTearDownOfEitherFormLeaveNoVeth(String form) throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("berth.bench"), "timing loop runs with -Dberth.bench=true");
        Privileges.requireRoot();
        PodNetworkFixture fixture = PodNetworkFixture.random(temp);
        Files.createDirectories(fixture.confDir());
        // berthd's state dir is /run/berth, a tmpfs: measure on one too, not on the disk under /tmp
        Path state = Files.createTempDirectory(Path.of("/dev/shm"), "nlbench-");
        CniSettings settings = new CniSettings(
                fixture.confDir(),
                List.of(Path.of("/usr/lib/cni")),
                state.resolve("cni"),
                fixture.bridge(),
                fixture.subnet());
        NodeNetwork network = new NodeNetwork(
                settings,
                DefaultNetworkForm.valueOf(form),
                new CommandRunner(temp.resolve("scratch")),
                new NamespaceCalls(),
                CallDurations.NONE);
        List<Long> up = new ArrayList<>();
        List<Long> down = new ArrayList<>();
        try {
            for (int i = 0; i < WARM_UP + ROUNDS; i++) {
                String id = "nlbench-" + UUID.randomUUID().toString().substring(0, 8);
                Path netns = HostNetwork.addNetns(id);
                PodNetworkRequest pod = new PodNetworkRequest(id, id, "default", id, netns, List.of());
                try {
                    long start = System.nanoTime();
                    assertThat(network.setUp(pod).ip()).startsWith(fixture.prefix());
                    long middle = System.nanoTime();
                    network.tearDown(pod);
                    long end = System.nanoTime();
                    if (i >= WARM_UP) {
                        up.add(middle - start);
                        down.add(end - middle);
                    }
                } finally {
                    HostNetwork.deleteNetns(id);
                }
            }
            Percentiles first = millis(up);
            Percentiles second = millis(down);
            System.out.printf(
                    "BENCH network %s: setUp median %.2f ms (p95 %.2f, min %.2f), tearDown median %.2f ms (p95 %.2f,"
                            + " min %.2f), n=%d%n",
                    form,
                    first.median(),
                    first.p95(),
                    first.min(),
                    second.median(),
                    second.p95(),
                    second.min(),
                    first.count());
            assertThat(HostNetwork.run("ip", "-o", "link", "show", "master", fixture.bridge()))
                    .isBlank();
        } finally {
            fixture.deleteBridge();
            Directories.deleteRecursively(state);
        }
    }

    private static Percentiles millis(List<Long> nanos) {
        return Percentiles.of(nanos.stream().map(n -> n / 1e6).toList());
    }
}
