package dev.berth.e2e.bench;

import java.io.PrintStream;
import java.util.List;

/** Prints {@link PodStartBenchmark}'s figures with the goals beside them. */
final class PodStartReport {

    private final PrintStream out;

    PodStartReport(PrintStream out) {
        this.out = out;
    }

    void print(PodStartBenchmark.Result r) {
        List<PodStartBenchmark.Column> columns = List.of(r.berthd(), r.containerd(), r.floor());
        out.println();
        out.printf(
                "POD START BENCHMARK: %d pods per runtime started one after another (the first a warm-up, not counted),"
                        + " interleaved across runtimes; busybox sleep 3600, image pulled%n",
                r.pods());
        out.printf("%-24s %6s %10s %10s %10s %10s%n", "pod start", "n", "median ms", "p95 ms", "min ms", "max ms");
        for (PodStartBenchmark.Column c : columns) {
            if (c.ran()) {
                Percentiles p = Percentiles.of(c.podStartMillis());
                out.printf(
                        "%-24s %6d %10.1f %10.1f %10.1f %10.1f%n",
                        c.name(), p.count(), p.median(), p.p95(), p.min(), p.max());
            } else {
                out.printf("%-24s skipped: %s%n", c.name(), c.skipped() == null ? "no samples" : c.skipped());
            }
        }
        goals(r);
        for (PodStartBenchmark.Column c : List.of(r.berthd(), r.containerd())) {
            breakdown(c);
        }
        out.println();
        out.printf(
                "%-24s %6s %10s %10s %16s   (%d calls, %d pods running)%n",
                "ListContainers",
                "listed",
                "p50 ms",
                "p95 ms",
                "Version p50 ms",
                PodStartBenchmark.LIST_CALLS,
                r.pods());
        for (PodStartBenchmark.Column c : List.of(r.berthd(), r.containerd())) {
            if (c.ran() && !c.listContainersMillis().isEmpty()) {
                Percentiles p = Percentiles.of(c.listContainersMillis());
                String version = c.versionMillis().isEmpty()
                        ? "-"
                        : String.format(
                                "%.2f", Percentiles.of(c.versionMillis()).median());
                out.printf(
                        "%-24s %6d %10.2f %10.2f %16s%n", c.name(), c.listedContainers(), p.median(), p.p95(), version);
            } else {
                out.printf("%-24s not measured%n", c.name());
            }
        }
        if (r.berthd().ran() && !r.berthd().listContainersMillis().isEmpty()) {
            double p50 = Percentiles.of(r.berthd().listContainersMillis()).median();
            out.printf("goal berthd ListContainers p50 < 2 ms: %s%n", verdict(p50 < 2.0));
        }
        out.println();
        out.printf(
                "%-24s %10s %12s %14s %18s%n",
                "RSS", "idle MiB", r.pods() + " pods MiB", "helpers MiB", "with helpers MiB");
        for (PodStartBenchmark.Column c : List.of(r.berthd(), r.containerd())) {
            out.printf(
                    "%-24s %10s %12s %14s %18s%n",
                    c.name(),
                    mib(c.idleRssKib()),
                    mib(c.busyRssKib()),
                    mib(c.helpersRssKib()),
                    c.busyRssKib() < 0 || c.helpersRssKib() < 0 ? "-" : mib(c.busyRssKib() + c.helpersRssKib()));
        }
        out.println("(helpers: the per-pod processes beside the daemon with " + r.pods()
                + " pods running: containerd's shims, berthd's conmons; RSS counts shared pages in each process)");
        for (PodStartBenchmark.Column c : List.of(r.berthd(), r.containerd())) {
            if (!c.removeMillis().isEmpty()) {
                Percentiles p = Percentiles.of(c.removeMillis());
                out.printf(
                        "StopPodSandbox + RemovePodSandbox, %s: median %.1f ms, p95 %.1f ms (n=%d)%n",
                        c.name(), p.median(), p.p95(), p.count());
            }
        }
    }

    /** Medians of each CRI call as the client timed it, then of each phase the runtime itself reported. */
    private void breakdown(PodStartBenchmark.Column c) {
        if (!c.ran() || c.callMillis().isEmpty()) {
            return;
        }
        StringBuilder calls = new StringBuilder();
        c.callMillis()
                .forEach((call, samples) -> calls.append(
                        String.format(" %s %.1f", call, Percentiles.of(samples).median())));
        out.printf("%s, median ms per CRI call:%s%n", c.name(), calls);
        c.inside().steps().forEach((step, phases) -> {
            StringBuilder line = new StringBuilder();
            phases.forEach((phase, samples) -> line.append(
                    String.format(" %s %.2f", phase, Percentiles.of(samples).median())));
            out.printf("  inside %s, median ms:%s%n", step, line);
        });
    }

    private void goals(PodStartBenchmark.Result r) {
        if (!r.berthd().ran()) {
            out.println("goals: not checked, berthd did not run");
            return;
        }
        double berthd = Percentiles.of(r.berthd().podStartMillis()).median();
        if (r.containerd().ran()) {
            double containerd = Percentiles.of(r.containerd().podStartMillis()).median();
            out.printf(
                    "goal berthd median <= containerd's: %.2fx  %s%n",
                    berthd / containerd, verdict(berthd <= containerd));
        }
        if (r.floor().ran()) {
            double floor = Percentiles.of(r.floor().podStartMillis()).median();
            out.printf("goal berthd median <= 2x floor:     %.2fx  %s%n", berthd / floor, verdict(berthd <= 2 * floor));
        }
    }

    private static String verdict(boolean met) {
        return met ? "PASS" : "MISS";
    }

    private static String mib(long kib) {
        return kib < 0 ? "-" : String.format("%.1f", kib / 1024.0);
    }
}
