package dev.berth.e2e.bench;

import dev.berth.e2e.operator.RepoPaths;
import dev.berth.process.CommandRunner;
import dev.berth.testkit.layer.BusyboxImage;
import dev.berth.testkit.registry.ImagePusher;
import dev.berth.testkit.registry.RegistryFixture;
import dev.berth.testkit.registry.TestImage;
import dev.berth.testkit.registry.TestLayer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code berth build} (the repository's launcher against a berthd of the bench's own) beside {@code buildah bud}
 * (its own storage under a temporary directory, overlay, --layers), the same Dockerfiles on the same context in
 * the same run: a five-step one and a multi-stage one, both on a ~50 MB base (busybox and 48 MB in 400 files) the
 * bench pushes to a local registry. Each engine starts empty (nothing pulled, nothing cached) for the cold build,
 * then builds again unchanged (warm cache) and once more with one context file changed. Rounds interleave the
 * engines, alternating which goes first. Both run RUN steps without a network (--network none). Prints medians of
 * wall and CPU time (berthd's: the CLI and its children plus berthd's own process; buildah's: it and its
 * children) and the ratio of the walls; goal: berthd <= 1.0x buildah in every case.
 */
public final class BuildBenchmark {

    static final double GOAL = 1.0;
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final long BASE_BYTES = 48L << 20;
    private static final int SOURCE_FILES = 200;

    enum Case {
        COLD,
        WARM,
        CHANGED
    }

    enum Engine {
        BERTHD,
        BUILDAH
    }

    /** Per Dockerfile, per case, per engine: one timing a round. */
    public record Result(Map<String, Map<Case, Map<Engine, List<TimedCommand.Timing>>>> timings) {}

    public static void main(String[] args) throws Exception {
        run(Integer.getInteger("berth.bench.buildRounds", 3));
    }

    public static Result run(int rounds) throws Exception {
        Path work = Files.createTempDirectory(Path.of("/var/tmp"), "berth-build-bench-");
        CommandRunner commands = new CommandRunner(work);
        Map<String, Map<Case, Map<Engine, List<TimedCommand.Timing>>>> timings = new LinkedHashMap<>();
        // the berth command's own share of berthd's CPU column (JVM start, context walk and upload)
        Map<String, List<Double>> clientCpu = new LinkedHashMap<>();
        try (RegistryFixture registry = RegistryFixture.start()) {
            String base = new ImagePusher(registry)
                    .pushImage("bench/base", "1", baseImage())
                    .reference();
            Path context = writeContext(work.resolve("context"), base);
            Path changed = context.resolve("src/file-000.txt");
            String original = Files.readString(changed);
            Path launcher = RepoPaths.locate().root().resolve("berth");
            boolean buildah = Buildah.available();
            if (!buildah) {
                System.out.println("buildah column skipped: buildah not installed (apt-get install buildah)");
            }
            for (int round = 0; round < rounds; round++) {
                for (String dockerfile : List.of("five-step", "multi-stage")) {
                    Path file = context.resolve(dockerfile + ".Dockerfile");
                    List<Engine> order = round % 2 == 0
                            ? List.of(Engine.BERTHD, Engine.BUILDAH)
                            : List.of(Engine.BUILDAH, Engine.BERTHD);
                    for (Engine engine : order) {
                        if (engine == Engine.BUILDAH && !buildah) {
                            continue;
                        }
                        Files.writeString(changed, original);
                        Map<Case, TimedCommand.Timing> three = engine == Engine.BERTHD
                                ? berthd(commands, work, launcher, file, context, changed, round, clientCpu)
                                : buildah(commands, work, file, context, changed, round);
                        three.forEach((c, timing) -> timings.computeIfAbsent(dockerfile, d -> new EnumMap<>(Case.class))
                                .computeIfAbsent(c, x -> new EnumMap<>(Engine.class))
                                .computeIfAbsent(engine, e -> new ArrayList<>())
                                .add(timing));
                    }
                }
            }
        } finally {
            dev.berth.store.Directories.deleteRecursively(work);
        }
        Result result = new Result(timings);
        print(result, rounds);
        clientCpu.forEach((key, cpu) -> System.out.printf(
                "  of berthd cpu, the berth command's own: %-30s median %.0f ms%n",
                key, Percentiles.of(cpu).median()));
        return result;
    }

    private static Map<Case, TimedCommand.Timing> berthd(
            CommandRunner commands,
            Path work,
            Path launcher,
            Path file,
            Path context,
            Path changed,
            int round,
            Map<String, List<Double>> clientCpu)
            throws Exception {
        try (BenchBerthd daemon = BenchBerthd.start(work)) {
            TimedCommand command =
                    new TimedCommand(commands, TIMEOUT, Map.of("BERTH_ENDPOINT", "unix://" + daemon.socket()));
            List<String> argv = List.of(
                    launcher.toString(),
                    "build",
                    "-q",
                    "--network",
                    "none",
                    "-t",
                    "bench/app:" + round,
                    "-f",
                    file.toString(),
                    context.toString());
            Map<Case, TimedCommand.Timing> three = new EnumMap<>(Case.class);
            for (Case c : Case.values()) {
                if (c == Case.CHANGED) {
                    change(changed, round);
                }
                long before = cpuMillis(daemon.pid());
                TimedCommand.Timing client = command.run(argv);
                double daemonCpu = cpuMillis(daemon.pid()) - before;
                three.put(c, new TimedCommand.Timing(client.wallMillis(), client.cpuMillis() + daemonCpu));
                clientCpu
                        .computeIfAbsent(file.getFileName() + " " + c, k -> new ArrayList<>())
                        .add(client.cpuMillis());
            }
            return three;
        }
    }

    private static Map<Case, TimedCommand.Timing> buildah(
            CommandRunner commands, Path work, Path file, Path context, Path changed, int round) throws IOException {
        try (Buildah buildah = Buildah.fresh(commands, work)) {
            Map<Case, TimedCommand.Timing> three = new EnumMap<>(Case.class);
            for (Case c : Case.values()) {
                if (c == Case.CHANGED) {
                    change(changed, round);
                }
                three.put(c, buildah.build(file, context, "bench/app:" + round));
            }
            return three;
        }
    }

    private static void change(Path file, int round) throws IOException {
        Files.writeString(file, "changed in round " + round + "\n", StandardOpenOption.APPEND);
    }

    /** utime + stime + cutime + cstime of a process, from /proc (clock ticks of 10 ms). */
    private static long cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = 0;
        for (int i = 11; i <= 14; i++) { // fields 14-17 of stat(5), counted after the command's closing paren
            ticks += Long.parseLong(fields[i]);
        }
        return ticks * 10;
    }

    private static TestImage baseImage() throws IOException {
        return TestImage.builder()
                .layer(BusyboxImage.fromHost().layerTar(), TestLayer.Compression.GZIP)
                .layer(TestLayer.random(BASE_BYTES, 400, 4242, TestLayer.Compression.GZIP))
                .cmd("sh")
                .build();
    }

    /** 200 small sources, an 8 MiB data file, an ignored 16 MiB scratch file, and both Dockerfiles. */
    private static Path writeContext(Path context, String base) throws IOException {
        Path src = Files.createDirectories(context.resolve("src"));
        for (int i = 0; i < SOURCE_FILES; i++) {
            Files.writeString(src.resolve("file-%03d.txt".formatted(i)), ("source line " + i + "\n").repeat(100));
        }
        Random random = new Random(7);
        byte[] data = new byte[8 << 20];
        random.nextBytes(data);
        Files.write(src.resolve("data.bin"), data);
        Files.createDirectories(context.resolve("scratch"));
        Files.write(context.resolve("scratch/big.tmp"), new byte[16 << 20]);
        Files.writeString(context.resolve(".dockerignore"), "scratch\n*.tmp\n");
        Files.writeString(context.resolve("five-step.Dockerfile"), """
                FROM %s
                WORKDIR /app
                COPY src/ /app/src/
                RUN cat /app/src/*.txt | wc -l > /app/lines && cp /app/src/data.bin /app/data.copy
                ENV MODE=bench
                RUN sha256sum /app/data.copy > /app/data.sha
                """.formatted(base), StandardCharsets.UTF_8);
        Files.writeString(context.resolve("multi-stage.Dockerfile"), """
                FROM %1$s AS builder
                WORKDIR /build
                COPY src/ ./src/
                RUN tar -cf app.tar src && sha256sum app.tar > app.sha
                FROM %1$s
                COPY --from=builder /build/app.tar /build/app.sha /app/
                RUN tar -xf /app/app.tar -C /app && rm /app/app.tar
                CMD ["sh"]
                """.formatted(base), StandardCharsets.UTF_8);
        return context;
    }

    private static void print(Result result, int rounds) {
        System.out.printf(
                "berth build vs buildah bud: base ~50 MB (busybox + 48 MiB in 400 files) from a local registry,"
                        + " context 9 MiB (+16 MiB .dockerignored), medians of %d rounds%n",
                rounds);
        System.out.printf(
                "%-12s %-8s %14s %14s %14s %14s %8s %s%n",
                "dockerfile", "case", "berthd wall", "berthd cpu", "buildah wall", "buildah cpu", "ratio", "goal");
        boolean allMet = true;
        for (var byDockerfile : result.timings().entrySet()) {
            for (var byCase : byDockerfile.getValue().entrySet()) {
                Map<Engine, List<TimedCommand.Timing>> engines = byCase.getValue();
                double[] berthd = medians(engines.get(Engine.BERTHD));
                double[] buildah = medians(engines.get(Engine.BUILDAH));
                double ratio = berthd[0] / buildah[0];
                boolean met = ratio <= GOAL;
                allMet &= met || Double.isNaN(ratio);
                System.out.printf(
                        "%-12s %-8s %11.0f ms %11.0f ms %11.0f ms %11.0f ms %7.2fx %s%n",
                        byDockerfile.getKey(),
                        byCase.getKey().name().toLowerCase(java.util.Locale.ROOT),
                        berthd[0],
                        berthd[1],
                        buildah[0],
                        buildah[1],
                        ratio,
                        Double.isNaN(ratio) ? "not measured" : met ? "met" : "MISSED");
            }
        }
        System.out.printf("goal berthd <= %.1fx buildah (wall) in every case: %s%n", GOAL, allMet ? "met" : "MISSED");
    }

    /** Median wall and CPU; NaN for an engine not measured. */
    private static double[] medians(List<TimedCommand.Timing> timings) {
        if (timings == null || timings.isEmpty()) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return new double[] {
            Percentiles.of(timings.stream().map(TimedCommand.Timing::wallMillis).toList())
                    .median(),
            Percentiles.of(timings.stream().map(TimedCommand.Timing::cpuMillis).toList())
                    .median()
        };
    }
}
