package dev.berth.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PhaseBreakdownTest {

    @Test
    void keepsOnlyTheLinesOfTheGivenPodsAndContainers() {
        List<String> lines = List.of(
                "12:00:01 DEBUG pod aaa RunPodSandbox phases ms: pin-ns=1.20 cni=20.00 total=25.00",
                "12:00:01 DEBUG pod bbb RunPodSandbox phases ms: pin-ns=9.00 cni=90.00 total=99.00",
                "12:00:02 DEBUG container c1 of pod aaa CreateContainer phases ms: mount=2.50 total=40.00",
                "12:00:02 DEBUG container c1 Conmon phases ms: spawn=3.00 total=30.00",
                "12:00:03 DEBUG pod ccc RunPodSandbox phases ms: pin-ns=1.40 cni=22.00 total=27.00");

        PhaseBreakdown breakdown = PhaseBreakdown.parse(lines, Set.of("aaa", "c1", "ccc"));

        assertThat(breakdown.steps()).containsOnlyKeys("RunPodSandbox", "CreateContainer", "Conmon");
        assertThat(breakdown.steps().get("RunPodSandbox").get("cni")).containsExactly(20.0, 22.0);
        assertThat(breakdown.steps().get("CreateContainer").get("mount")).containsExactly(2.5);
    }
}
