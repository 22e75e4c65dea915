package dev.berth.e2e.bench;

import dev.berth.e2e.operator.RepoPaths;
import dev.berth.process.CommandRunner;
import dev.berth.testkit.layer.BusyboxImage;
import dev.berth.testkit.registry.ImagePusher;
import dev.berth.testkit.registry.RegistryFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The berth command as a user meets it, through the launcher at the repository root (its JVM flags and AOT cache):
 * {@code berth ps} with 50 containers, and {@code berth run --rm IMAGE true} beside {@code podman run --rm} of the
 * same image from the same local registry (podman on its own --root/--runroot under a temporary directory, runc,
 * cgroupfs), interleaved, the order reversed every other round. Each runs on its default network: berthd's
 * embedded one, podman's default CNI network (bridge with ipMasq, portmap, firewall, tuning). Prints medians; goals:
 * ps ≤ 250 ms, run ≤ podman.
 */
public final class CliBenchmark {

    static final int CONTAINERS = 50;
    private static final int PS_RUNS = 15;
    static final int RUN_RUNS = 8;
    static final double PS_GOAL_MILLIS = 250;
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    public record Result(List<Double> psMillis, List<Double> berthRunMillis, List<Double> podmanRunMillis) {}

    public static void main(String[] args) throws Exception {
        run();
    }

    public static Result run() throws Exception {
        Path work = Files.createTempDirectory(Path.of("/var/tmp"), "berth-cli-bench-");
        CommandRunner commands = new CommandRunner(work);
        try (RegistryFixture registry = RegistryFixture.start();
                BenchBerthd daemon = BenchBerthd.start(work)) {
            String image = new ImagePusher(registry)
                    .pushImage("bench/busybox", "1", BusyboxImage.fromHost().image("sh"))
                    .reference();
            Path root = RepoPaths.locate().root();
            Launcher berth = new Launcher(commands, root.resolve("berth"), daemon.socket());
            berth.run("pull", image);
            awaitAotTraining(root.resolve("cli/target/berth-cli.aot.lock"));
            List<Double> run = new ArrayList<>();
            List<Double> podmanRun = new ArrayList<>();
            if (!Podman.available()) {
                throw new IllegalStateException("podman is not installed (it is in .ci/packages.txt): no column to"
                        + " compare berth run with");
            }
            try (Podman podman = Podman.start(commands, work)) {
                podman.run("pull", "--tls-verify=false", image);
                for (int i = 0; i <= RUN_RUNS; i++) {
                    // berth first on even rounds, podman on odd ones; round 0 warms the page cache (and makes the
                    // launcher's AOT cache) and is not counted
                    for (boolean berthsTurn : LaneOrder.forRound(List.of(true, false), i)) {
                        double ms =
                                berthsTurn ? berth.timed("run", "--rm", image, "true") : podman.timedRun(image, "true");
                        if (i > 0) {
                            (berthsTurn ? run : podmanRun).add(ms);
                        }
                    }
                }
            }
            for (int i = 0; i < CONTAINERS; i++) {
                berth.run("run", "-d", "--name", "bench-" + i, image, "sleep", "3600");
            }
            List<Double> ps = new ArrayList<>();
            berth.timed("ps");
            for (int i = 0; i < PS_RUNS; i++) {
                ps.add(berth.timed("ps"));
            }
            String listed = berth.run("ps", "-q");
            if (listed.lines().count() != CONTAINERS) {
                throw new IllegalStateException("berth ps listed "
                        + listed.lines().count() + " containers, not " + CONTAINERS + ":\n" + listed);
            }
            // as a user would; a berthd closed with pods running leaves their network behind (CNI's DEL never ran)
            List<String> remove = new ArrayList<>(List.of("rm", "-f"));
            listed.lines().forEach(remove::add);
            berth.run(remove.toArray(String[]::new));
            String left = berth.run("ps", "-aq");
            if (!left.isBlank()) {
                throw new IllegalStateException("berth rm -f left containers:\n" + left);
            }
            Result result = new Result(ps, run, podmanRun);
            print(result);
            return result;
        } finally {
            dev.berth.store.Directories.deleteRecursively(work);
        }
    }

    /**
     * The launcher trains the command's AOT cache in the background at the first command after a build, for ~30 s of
     * both CPUs: timed beside it, berth would be measured neither as a user meets it (the cache made once) nor alone.
     */
    private static void awaitAotTraining(Path lock) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (Files.exists(lock)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the berth command's AOT training still runs after 3 minutes: " + lock);
            }
            Thread.sleep(200);
        }
    }

    private static void print(Result result) {
        Percentiles ps = Percentiles.of(result.psMillis());
        Percentiles run = Percentiles.of(result.berthRunMillis());
        System.out.printf(
                "berth ps, %d containers: median %.0f ms (p95 %.0f, min %.0f, %d runs)%n",
                CONTAINERS, ps.median(), ps.p95(), ps.min(), ps.count());
        System.out.printf("%-34s %10s %10s%n", "run --rm busybox true", "berth", "podman");
        double podmanMedian = Percentiles.of(result.podmanRunMillis()).median();
        System.out.printf("%-34s %7.0f ms %7.0f ms%n", "median of " + run.count(), run.median(), podmanMedian);
        System.out.printf(
                "goal ps <= %.0f ms: %s; goal run <= podman: %s%n",
                PS_GOAL_MILLIS,
                ps.median() <= PS_GOAL_MILLIS ? "MET" : "MISSED",
                run.median() <= podmanMedian ? "MET" : "MISSED");
    }

    /** The repository's {@code ./berth} launcher, pointed at the bench's berthd. */
    private record Launcher(CommandRunner commands, Path script, Path socket) {

        String run(String... args) throws IOException {
            List<String> argv = new ArrayList<>(List.of(script.toString()));
            argv.addAll(List.of(args));
            return commands.runChecked(CommandRunner.Command.of(TIMEOUT, argv)
                            .withEnvironment(Map.of("BERTH_ENDPOINT", "unix://" + socket)))
                    .stdout();
        }

        double timed(String... args) throws IOException {
            long started = System.nanoTime();
            run(args);
            return (System.nanoTime() - started) / 1e6;
        }
    }
}
