package dev.berth.e2e.bench;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Prints {@link PodCycleBenchmark}'s figures with the goal beside them, then the classes that grew most. */
final class PodCycleReport {

    private final PrintStream out;

    PodCycleReport(PrintStream out) {
        this.out = out;
    }

    void print(PodCycleBenchmark.Result r, int topClasses) {
        Percentiles cycle = Percentiles.of(r.cycleMillis());
        out.println();
        out.printf(
                "POD CYCLE BENCHMARK: %d cycles (RunPodSandbox + CreateContainer + StartContainer + StopPodSandbox +"
                        + " RemovePodSandbox, busybox sleep) on %d clients at once in %.1f s; cycle median %.1f ms,"
                        + " p95 %.1f ms%n",
                r.cycles(), r.clients(), r.elapsed().toMillis() / 1000.0, cycle.median(), cycle.p95());
        r.callMillis().forEach((call, samples) -> {
            Percentiles p = Percentiles.of(samples);
            out.printf("  %-22s median %7.1f ms, p95 %7.1f ms%n", call, p.median(), p.p95());
        });
        for (PodCycleBenchmark.Checkpoint c : List.of(r.baseline(), r.middle(), r.end())) {
            out.printf(
                    "berthd after %5d cycles: RSS %8.1f MiB (median of settled samples) | heap used after full GC %s%n",
                    c.cycles(),
                    c.rssKib() / 1024.0,
                    c.heapUsedKib() < 0 ? "n/a" : "%.1f MiB".formatted(c.heapUsedKib() / 1024.0));
        }
        double ratio = r.end().rssKib() / (double) r.baseline().rssKib();
        out.printf(
                "RSS after %d / after %d cycles = %.3f (growth %+.1f %%); goal growth < %.0f %%: %s%n",
                r.end().cycles(),
                r.baseline().cycles(),
                ratio,
                r.growthPercent(),
                PodCycleBenchmark.GOAL_PERCENT,
                r.growthPercent() < PodCycleBenchmark.GOAL_PERCENT ? "PASS" : "MISS");
        // JIT-compiled code and the heap's high-water mark grow over the first few hundred cycles; a leak goes on
        out.printf(
                "RSS after %d / after %d cycles = %.3f (steady-state growth %+.1f %%: a leak keeps growing here)%n",
                r.end().cycles(),
                r.middle().cycles(),
                r.end().rssKib() / (double) r.middle().rssKib(),
                (r.end().rssKib() / (double) r.middle().rssKib() - 1) * 100);
        out.printf(
                "left after the cycles: %d pods, %d containers, %d cgroups below /%s%n",
                r.leftovers().pods(),
                r.leftovers().containers(),
                r.leftovers().cgroups().size(),
                PodCycleBenchmark.CGROUP_ROOT);
        grownClasses(
                r.baseline().histogram(),
                r.end().histogram(),
                r.end().cycles() - r.baseline().cycles(),
                topClasses);
    }

    /** A class whose live instances grow by about one per cycle is what a leak looks like. */
    private void grownClasses(
            Map<String, JvmProbe.ClassCount> before, Map<String, JvmProbe.ClassCount> after, int cycles, int top) {
        out.printf("live objects grown most over those %d cycles (each histogram after a full GC):%n", cycles);
        out.printf("%12s %12s  %s%n", "+instances", "+KiB", "class");
        after.entrySet().stream()
                .map(e -> Map.entry(
                        e.getKey(),
                        grown(before.getOrDefault(e.getKey(), new JvmProbe.ClassCount(0, 0)), e.getValue())))
                .sorted(Comparator.comparingLong((Map.Entry<String, JvmProbe.ClassCount> e) ->
                                e.getValue().bytes())
                        .reversed())
                .limit(top)
                .forEach(e -> out.printf(
                        "%12d %12.1f  %s%n",
                        e.getValue().instances(), e.getValue().bytes() / 1024.0, e.getKey()));
    }

    private static JvmProbe.ClassCount grown(JvmProbe.ClassCount before, JvmProbe.ClassCount after) {
        return new JvmProbe.ClassCount(after.instances() - before.instances(), after.bytes() - before.bytes());
    }
}
