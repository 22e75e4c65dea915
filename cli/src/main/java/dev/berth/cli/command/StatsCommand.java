package dev.berth.cli.command;

import dev.berth.cli.Berth;
import dev.berth.cli.CommandDefinition;
import dev.berth.cli.container.CliContainer;
import dev.berth.cli.container.Containers;
import dev.berth.cli.cri.Cri;
import dev.berth.cli.format.Table;
import dev.berth.cli.format.Units;
import dev.berth.cri.v1.ContainerStats;
import dev.berth.cri.v1.ContainerStatsRequest;
import dev.berth.cri.v1.PodSandboxStats;
import dev.berth.cri.v1.PodSandboxStatsRequest;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** docker stats from CRI's ContainerStats and PodSandboxStats: CPU from two samples a second apart. */
public final class StatsCommand implements Callable<Integer> {

    private static final long SAMPLE_MILLIS = 1000;

    private final Berth berth;
    private boolean noStream;
    private List<String> refs = List.of();

    public StatsCommand(Berth berth) {
        this.berth = berth;
    }

    public CommandSpec spec() {
        return CommandDefinition.of(
                        this, "stats", "Show the running containers' CPU, memory, network and process counts")
                .flag("--no-stream", "Print one sample and exit (default: refresh every second)", v -> noStream = v)
                .positionals("0..*", "0..*", "CONTAINER", "Containers (default: all running ones)", v -> refs = v)
                .spec();
    }

    @Override
    public Integer call() throws InterruptedException {
        try (Cri cri = berth.connect()) {
            Containers containers = new Containers(cri);
            Map<String, ContainerStats> previous = new HashMap<>();
            long memTotal = hostMemory();
            while (true) {
                List<CliContainer> listed = refs.isEmpty()
                        ? containers.list(false)
                        : refs.stream().map(containers::find).toList();
                if (previous.isEmpty()) {
                    listed.forEach(c -> sample(cri, c).ifPresent(s -> previous.put(c.id(), s)));
                    Thread.sleep(SAMPLE_MILLIS);
                }
                Table table = new Table(
                        "CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "NET I/O", "BLOCK I/O", "PIDS");
                for (CliContainer container : listed) {
                    var now = sample(cri, container);
                    if (now.isEmpty()) {
                        continue;
                    }
                    ContainerStats stats = now.get();
                    ContainerStats before = previous.put(container.id(), stats);
                    long memory = stats.getMemory().getWorkingSetBytes().getValue();
                    long limit = container
                            .status()
                            .map(s -> s.getResources().getLinux().getMemoryLimitInBytes())
                            .filter(l -> l > 0)
                            .orElse(memTotal);
                    PodSandboxStats pod = podStats(cri, container);
                    var network = pod.getLinux().getNetwork().getDefaultInterface();
                    table.row(
                            container.shortId(),
                            container.name(),
                            percent(cpu(before, stats)),
                            Units.binarySize(memory) + " / " + Units.binarySize(limit),
                            percent(limit == 0 ? 0 : 100.0 * memory / limit),
                            Units.size(network.getRxBytes().getValue()) + " / "
                                    + Units.size(network.getTxBytes().getValue()),
                            "--",
                            Long.toString(pod.getLinux()
                                    .getProcess()
                                    .getProcessCount()
                                    .getValue()));
                }
                if (!noStream) {
                    System.out.print("\033[2J\033[H"); // a fresh screen each second, as docker stats
                }
                table.print(System.out);
                if (noStream) {
                    return 0;
                }
                Thread.sleep(SAMPLE_MILLIS);
            }
        }
    }

    private static java.util.Optional<ContainerStats> sample(Cri cri, CliContainer container) {
        if (container.containerId().isEmpty()) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(cri.runtime()
                    .containerStats(ContainerStatsRequest.newBuilder()
                            .setContainerId(container.containerId().get())
                            .build())
                    .getStats());
        } catch (StatusRuntimeException e) {
            return java.util.Optional.empty(); // gone meanwhile
        }
    }

    private static PodSandboxStats podStats(Cri cri, CliContainer container) {
        try {
            return cri.runtime()
                    .podSandboxStats(PodSandboxStatsRequest.newBuilder()
                            .setPodSandboxId(container.pod().getId())
                            .build())
                    .getStats();
        } catch (StatusRuntimeException e) {
            return PodSandboxStats.getDefaultInstance();
        }
    }

    /** Per cent of one CPU, from the cumulative CPU time of two samples, as docker computes it. */
    private static double cpu(ContainerStats before, ContainerStats now) {
        if (before == null) {
            return 0;
        }
        long cpu = now.getCpu().getUsageCoreNanoSeconds().getValue()
                - before.getCpu().getUsageCoreNanoSeconds().getValue();
        long elapsed = now.getCpu().getTimestamp() - before.getCpu().getTimestamp();
        return elapsed <= 0 ? 0 : 100.0 * cpu / elapsed;
    }

    private static String percent(double value) {
        return String.format(Locale.ROOT, "%.2f%%", value);
    }

    private static long hostMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // below
        }
        return 0;
    }
}
