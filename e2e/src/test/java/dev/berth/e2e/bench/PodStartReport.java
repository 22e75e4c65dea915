package dev.berth.e2e.bench;

import java.io.PrintStream;
import java.util.List;

/** Prints {@link PodStartBenchmark}'s figures with issue 13's goals beside them, each MET or MISSED. */
final class PodStartReport {

    static final double START_VS_CONTAINERD = 0.5;
    static final double START_VS_FLOOR = 1.5;
    static final double P95_VS_MEDIAN = 1.5;
    static final double TEARDOWN_VS_CONTAINERD = 0.5;
    static final double IDLE_RSS_MIB = 64;
    static final double BUSY_RSS_MIB = 96;

    private final PrintStream out;

    PodStartReport(PrintStream out) {
        this.out = out;
    }

    void print(PodStartBenchmark.Result r) {
        out.println();
        out.printf(
                "POD START BENCHMARK: %d pods per lane started one after another (the first a warm-up, not counted),"
                        + " interleaved across lanes, the order reversed every other round; busybox sleep 3600, image"
                        + " pulled; RunPodSandbox + CreateContainer + StartContainer over gRPC%n",
                r.pods());
        out.printf(
                "%-28s %5s %10s %10s %10s %10s %11s%n",
                "pod start", "n", "median ms", "p95 ms", "min ms", "max ms", "p95/median");
        for (PodStartBenchmark.Column c : List.of(
                r.berthdKubelet(), r.containerdKubelet(), r.floorSeccomp(), r.berthd(), r.containerd(), r.floor())) {
            Percentiles p = Percentiles.of(c.podStartMillis());
            out.printf(
                    "%-28s %5d %10.1f %10.1f %10.1f %10.1f %10.2fx%n",
                    c.name(), p.count(), p.median(), p.p95(), p.min(), p.max(), p.p95() / p.median());
        }
        out.println("(kubelet-shaped: what kubelet 1.32 sends for a BestEffort pod, seccomp RuntimeDefault, each pod"
                + " stopped and removed right after its start; plain: the bench's lean requests, pods kept running)");
        stopRemove(r);
        out.println();
        out.println("goals (issue 13), kubelet-shaped requests:");
        startGoals(r.berthdKubelet(), r.containerdKubelet(), r.floorSeccomp());
        double plainFloor = Percentiles.of(r.floor().podStartMillis()).median();
        out.printf(
                "  %-48s %7.2fx)%n",
                "(the same against the floor without seccomp",
                Percentiles.of(r.berthdKubelet().podStartMillis()).median() / plainFloor);
        teardownGoal(r.berthdKubelet(), r.containerdKubelet());
        out.println("the same with the plain requests:");
        startGoals(r.berthd(), r.containerd(), r.floor());
        out.println();
        for (PodStartBenchmark.Column c :
                List.of(r.berthdKubelet(), r.containerdKubelet(), r.berthd(), r.containerd())) {
            breakdown(c);
        }
        listContainers(r);
        rss(r);
        removalAtTheEnd(r);
    }

    private void stopRemove(PodStartBenchmark.Result r) {
        for (PodStartBenchmark.Column c : List.of(r.berthdKubelet(), r.containerdKubelet())) {
            Percentiles p = Percentiles.of(c.stopRemoveMillis());
            out.printf(
                    "%-28s %5d %10.1f %10.1f %10.1f %10.1f   (StopPodSandbox + RemovePodSandbox right after the start)%n",
                    c.name(), p.count(), p.median(), p.p95(), p.min(), p.max());
        }
    }

    private void startGoals(
            PodStartBenchmark.Column berthd, PodStartBenchmark.Column containerd, PodStartBenchmark.Column floor) {
        Percentiles b = Percentiles.of(berthd.podStartMillis());
        double c = Percentiles.of(containerd.podStartMillis()).median();
        double f = Percentiles.of(floor.podStartMillis()).median();
        goal("pod start <= %.2fx containerd's".formatted(START_VS_CONTAINERD), b.median() / c, START_VS_CONTAINERD);
        goal("pod start <= %.2fx %s".formatted(START_VS_FLOOR, floor.name()), b.median() / f, START_VS_FLOOR);
        goal("pod start p95 <= %.2fx its median".formatted(P95_VS_MEDIAN), b.p95() / b.median(), P95_VS_MEDIAN);
    }

    private void teardownGoal(PodStartBenchmark.Column berthd, PodStartBenchmark.Column containerd) {
        double ratio = Percentiles.of(berthd.stopRemoveMillis()).median()
                / Percentiles.of(containerd.stopRemoveMillis()).median();
        goal("stop + remove <= %.2fx containerd's".formatted(TEARDOWN_VS_CONTAINERD), ratio, TEARDOWN_VS_CONTAINERD);
    }

    private void goal(String what, double ratio, double limit) {
        out.printf("  %-48s %7.2fx  %s%n", what, ratio, verdict(ratio <= limit));
    }

    /** Medians of each CRI call as the client timed it, then of each phase the runtime itself reported. */
    private void breakdown(PodStartBenchmark.Column c) {
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

    private void listContainers(PodStartBenchmark.Result r) {
        out.println();
        out.printf(
                "%-28s %6s %10s %10s %16s   (%d calls each, interleaved, %d plain pods running)%n",
                "ListContainers",
                "listed",
                "p50 ms",
                "p95 ms",
                "Version p50 ms",
                PodStartBenchmark.LIST_CALLS,
                r.pods());
        for (PodStartBenchmark.Column c : List.of(r.berthd(), r.containerd())) {
            Percentiles p = Percentiles.of(c.listContainersMillis());
            out.printf(
                    "%-28s %6d %10.2f %10.2f %16.2f%n",
                    c.name(),
                    c.listedContainers(),
                    p.median(),
                    p.p95(),
                    Percentiles.of(c.versionMillis()).median());
        }
        double berthd = Percentiles.of(r.berthd().listContainersMillis()).median();
        double containerd =
                Percentiles.of(r.containerd().listContainersMillis()).median();
        goal("ListContainers p50 <= containerd's", berthd / containerd, 1.0);
    }

    private void rss(PodStartBenchmark.Result r) {
        out.println();
        out.printf(
                "%-28s %10s %12s %14s %18s%n",
                "RSS", "idle MiB", r.pods() + " pods MiB", "helpers MiB", "with helpers MiB");
        for (PodStartBenchmark.Column c : List.of(r.berthd(), r.containerd())) {
            out.printf(
                    "%-28s %10s %12s %14s %18s%n",
                    c.name(),
                    mib(c.idleRssKib()),
                    mib(c.busyRssKib()),
                    mib(c.helpersRssKib()),
                    mib(c.busyRssKib() + c.helpersRssKib()));
        }
        out.println("(helpers: the per-pod processes beside the daemon with " + r.pods()
                + " pods running: containerd's shims, berthd's conmons; RSS counts shared pages in each process)");
        double idle = r.berthd().idleRssKib() / 1024.0;
        double busy = r.berthd().busyRssKib() / 1024.0;
        out.printf(
                "  %-48s %7.1f MiB  %s%n",
                "berthd RSS idle <= %.0f MiB".formatted(IDLE_RSS_MIB), idle, verdict(idle <= IDLE_RSS_MIB));
        out.printf(
                "  %-48s %7.1f MiB  %s%n",
                "berthd RSS with %d pods <= %.0f MiB".formatted(r.pods(), BUSY_RSS_MIB),
                busy,
                verdict(busy <= BUSY_RSS_MIB));
    }

    private void removalAtTheEnd(PodStartBenchmark.Result r) {
        for (PodStartBenchmark.Column c : List.of(r.berthd(), r.containerd())) {
            Percentiles p = Percentiles.of(c.removeMillis());
            out.printf(
                    "StopPodSandbox + RemovePodSandbox at the end (%d plain pods -> 0, one per runtime in turn), %s:"
                            + " median %.1f ms, p95 %.1f ms (n=%d)%n",
                    r.pods(), c.name(), p.median(), p.p95(), p.count());
        }
    }

    static String verdict(boolean met) {
        return met ? "MET" : "MISSED";
    }

    private static String mib(long kib) {
        return kib < 0 ? "-" : String.format("%.1f", kib / 1024.0);
    }
}
