package dev.berth.e2e.bench;

import java.io.PrintStream;
import java.util.List;

/** Prints {@link DeletionBenchmark}'s figures, berthd and containerd side by side, with the goals. */
final class DeletionReport {

    private final PrintStream out;

    DeletionReport(PrintStream out) {
        this.out = out;
    }

    void print(DeletionBenchmark.Result r) {
        DeletionBenchmark.Column berthd = r.berthd();
        DeletionBenchmark.Column containerd = r.containerd();
        out.println();
        out.printf(
                "POD DELETION BENCHMARK: %d rounds (the first a warm-up, not counted), berthd and containerd in turn,"
                        + " the order swapped each round; one container exiting at once on SIGTERM, grace period %d s%n",
                r.rounds(), DeletionLane.GRACE_SECONDS);
        out.printf(
                "%-32s %12s %12s %14s %14s %8s%n",
                "step", "berthd p50", "berthd p95", "containerd p50", "containerd p95", "ratio");
        for (String step : List.of(
                DeletionLane.STOP_CONTAINER,
                DeletionLane.SEES_EXIT,
                DeletionLane.STOP_POD,
                DeletionLane.REMOVE_POD,
                DeletionLane.KUBELET_TOTAL,
                DeletionLane.STOP_REMOVE)) {
            Percentiles b = Percentiles.of(berthd.millis().get(step));
            Percentiles c = Percentiles.of(containerd.millis().get(step));
            out.printf(
                    "%-32s %9.1f ms %9.1f ms %11.1f ms %11.1f ms %7.2fx%n",
                    step, b.median(), b.p95(), c.median(), c.p95(), b.median() / c.median());
        }
        double kubelet = ratio(r, DeletionLane.KUBELET_TOTAL);
        out.printf(
                "goal kubelet-ordered deletion <= containerd's:          %.2fx  %s%n",
                kubelet, kubelet <= 1.0 ? "PASS" : "MISS");
        double short_ = ratio(r, DeletionLane.STOP_REMOVE);
        out.printf(
                "goal StopPodSandbox + RemovePodSandbox <= 0.5x containerd's: %.2fx  %s%n",
                short_, short_ <= 0.5 ? "PASS" : "MISS");
        berthd.inside().steps().forEach((step, phases) -> {
            StringBuilder line = new StringBuilder();
            phases.forEach((phase, samples) -> line.append(
                    String.format(" %s %.2f", phase, Percentiles.of(samples).median())));
            out.printf("  berthd inside %s, median ms:%s%n", step, line);
        });
    }

    private static double ratio(DeletionBenchmark.Result r, String step) {
        return Percentiles.of(r.berthd().millis().get(step)).median()
                / Percentiles.of(r.containerd().millis().get(step)).median();
    }
}
