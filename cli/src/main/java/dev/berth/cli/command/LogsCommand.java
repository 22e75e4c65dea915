package dev.berth.cli.command;

import dev.berth.cli.Berth;
import dev.berth.cli.CliException;
import dev.berth.cli.container.CliContainer;
import dev.berth.cli.container.Containers;
import dev.berth.cli.cri.Cri;
import dev.berth.cli.logs.LogFile;
import dev.berth.cli.logs.LogPrinter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "logs", description = "Show a container's output (its CRI log file)")
public final class LogsCommand implements Callable<Integer> {

    @ParentCommand
    private Berth berth;

    @Option(
            names = {"-f", "--follow"},
            description = "Follow the output until the container stops")
    private boolean follow;

    @Option(names = "--tail", paramLabel = "N", description = "Only the last N lines (default: all)")
    private String tail = "all";

    @Option(
            names = {"-t", "--timestamps"},
            description = "Show timestamps")
    private boolean timestamps;

    @Option(names = "--since", paramLabel = "DURATION", description = "Only lines newer than 10s, 5m, 2h or a time")
    private String since;

    @Parameters(paramLabel = "CONTAINER")
    private String ref;

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
