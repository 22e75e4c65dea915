package dev.berth.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodStartReportTest {

    @Test
    void printsEachGoalOfTheIssueAsMetOrMissed() {
        PodStartBenchmark.Result result = new PodStartBenchmark.Result(
                3,
                column("berthd", 40, 30),
                column("containerd", 100, 60),
                column("floor", 30, 0),
                column("seccomp floor", 40, 0),
                column("berthd, kubelet-shaped", 60, 40),
                column("containerd, kubelet-shaped", 100, 60));

        String report = print(result);

        // 60 / 100 = 0.60x > 0.5x; 60 / 40 = 1.50x; p95/median 1.00x; stop+remove 40 / 60 = 0.67x > 0.5x
        assertThat(report)
                .contains("goals (issue 13), kubelet-shaped requests:")
                .containsPattern("pod start <= 0\\.50x containerd's +0\\.60x  MISSED")
                .containsPattern("pod start <= 1\\.50x seccomp floor +1\\.50x  MET")
                .containsPattern("pod start p95 <= 1\\.50x its median +1\\.00x  MET")
                .containsPattern("stop \\+ remove <= 0\\.50x containerd's +0\\.67x  MISSED");
        // plain: 40 / 100 = 0.40x, 40 / 30 = 1.33x
        assertThat(report)
                .containsPattern("(?s)the same with the plain requests:\\n.*containerd's +0\\.40x  MET"
                        + "\\n.*1\\.50x floor +1\\.33x  MET");
    }

    private static PodStartBenchmark.Column column(String name, double start, double stopRemove) {
        return new PodStartBenchmark.Column(
                name,
                List.of(start, start),
                List.of(1.0, 1.2),
                3,
                List.of(50.0),
                40 * 1024,
                90 * 1024,
                1024,
                stopRemove == 0
                        ? Map.of()
                        : Map.of("RunPodSandbox", List.of(start / 2), CriPodStarter.STOP_REMOVE, List.of(stopRemove)),
                PhaseBreakdown.empty(),
                List.of(0.1));
    }

    private static String print(PodStartBenchmark.Result result) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new PodStartReport(new PrintStream(bytes, true, StandardCharsets.UTF_8)).print(result);
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
