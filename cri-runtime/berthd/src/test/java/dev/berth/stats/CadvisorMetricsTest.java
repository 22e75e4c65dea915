package dev.berth.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cgroup.CgroupResources;
import dev.berth.cgroup.CgroupStats;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class CadvisorMetricsTest {

    private final CadvisorMetrics metrics = new CadvisorMetrics();

    @Test
    void everySampleHasADescriptorWithAsManyLabelKeysAsItHasValues() {
        Map<String, MetricDescriptor> descriptors =
                metrics.descriptors().stream().collect(Collectors.toMap(MetricDescriptor::name, Function.identity()));
        CgroupResources limits = new CgroupResources(512, 50_000, 100_000, "", "", 64L << 20, 0, 0, Map.of(), Map.of());
        List<MetricSample> samples = Stream.concat(
                        metrics
                                .container(
                                        "c1",
                                        "app",
                                        "busybox",
                                        new CgroupStats(1, 2_500_000_000L, 10, 8, 6, 0, 0, 1, 2),
                                        limits)
                                .stream(),
                        metrics.pod("p1", List.of(new InterfaceUsage("eth0", 100, 1, 200, 2)), 1).stream())
                .toList();

        assertThat(samples).allSatisfy(s -> {
            assertThat(descriptors).containsKey(s.name());
            assertThat(s.labelValues()).hasSameSizeAs(descriptors.get(s.name()).labelKeys());
        });
        assertThat(samples.stream().map(MetricSample::name).collect(Collectors.toSet()))
                .isEqualTo(descriptors.keySet());
    }

    @Test
    void cpuIsWholeSecondsAndUnsetCpuLimitsAreLeftOut() {
        List<MetricSample> samples = metrics.container(
                "c1",
                "app",
                "busybox",
                new CgroupStats(1, 2_500_000_000L, 10, 8, 6, 0, 0, 0, 2),
                CgroupResources.none());

        assertThat(samples)
                .filteredOn(s -> s.name().equals("container_cpu_usage_seconds_total"))
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.value()).isEqualTo(2);
                    assertThat(s.counter()).isTrue();
                    assertThat(s.labelValues()).containsExactly("c1", "app", "busybox", "total");
                });
        assertThat(samples)
                .extracting(MetricSample::name)
                .doesNotContain("container_spec_cpu_shares", "container_spec_cpu_quota", "container_spec_cpu_period")
                .contains("container_spec_memory_limit_bytes");
    }
}
