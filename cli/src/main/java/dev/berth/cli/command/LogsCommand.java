package dev.berth.cli.command;

import dev.berth.cli.Berth;
import dev.berth.cli.CliException;
import dev.berth.cli.CommandDefinition;
import dev.berth.cli.container.CliContainer;
import dev.berth.cli.container.Containers;
import dev.berth.cli.cri.Cri;
import dev.berth.cli.logs.LogFile;
import dev.berth.cli.logs.LogPrinter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

public final class LogsCommand implements Callable<Integer> {

    private final Berth berth;
    private boolean follow;
    private String tail = "all";
    private boolean timestamps;
    private String since;
    private String ref;

    public LogsCommand(Berth berth) {
        this.berth = berth;
    }

    public CommandSpec spec() {
        return CommandDefinition.of(this, "logs", "Show a container's output (its CRI log file)")
                .flag("-f,--follow", "Follow the output until the container stops", v -> follow = v)
                .option("--tail", "N", "Only the last N lines (default: all)", v -> tail = v)
                .flag("-t,--timestamps", "Show timestamps", v -> timestamps = v)
                .option("--since", "DURATION", "Only lines newer than 10s, 5m, 2h or a time", v -> since = v)
                .positional("0", "CONTAINER", "", v -> ref = v)
                .spec();
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        try (Cri cri = berth.connect()) {
            Containers containers = new Containers(cri);
            CliContainer container = containers.find(ref);
            LogFile file = new LogFile(ContainerLogs.path(container));
            LogPrinter printer = new LogPrinter(
                    new FileOutputStream(FileDescriptor.out),
                    new FileOutputStream(FileDescriptor.err),
                    timestamps,
                    since == null ? null : ContainerLogs.since(since));
            int lines = tail.equals("all") ? -1 : lines(tail);
            if (follow) {
                file.follow(printer, lines, () -> ContainerLogs.running(containers, container));
            } else {
                file.print(printer, lines);
            }
            return 0;
        }
    }

    private static int lines(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new CliException("--tail takes a number of lines or all, got " + text);
        }
    }
}
