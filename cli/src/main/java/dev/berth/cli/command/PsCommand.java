package dev.berth.cli.command;

import dev.berth.cli.Berth;
import dev.berth.cli.container.CliContainer;
import dev.berth.cli.container.Containers;
import dev.berth.cli.cri.Cri;
import dev.berth.cli.format.Table;
import dev.berth.cli.format.Template;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "ps", description = "List containers (the ones berth run made)")
public final class PsCommand implements Callable<Integer> {

    @ParentCommand
    private Berth berth;

    @Option(
            names = {"-a", "--all"},
            description = "Show all containers (default: only running ones)")
    private boolean all;

    @Option(
            names = {"-q", "--quiet"},
            description = "Only show container IDs")
    private boolean quiet;

    @Option(names = "--no-trunc", description = "Do not truncate IDs and commands")
    private boolean noTrunc;

    @Option(names = "--format", paramLabel = "FORMAT", description = "json, or a template: '{{.Names}} {{.Status}}'")
    private String format;

    @Override
    public Integer call() {
        try (Cri cri = berth.connect()) {
            List<CliContainer> containers = new Containers(cri).list(all);
            long now = System.currentTimeMillis();
            if (quiet) {
                containers.forEach(c -> System.out.println(noTrunc ? c.id() : c.shortId()));
                return 0;
            }
            List<Map<String, String>> rows = containers.stream()
                    .map(c -> ContainerRows.row(c, now, noTrunc))
                    .toList();
            if (format != null) {
                Template.parse(format).print(System.out, ContainerRows.FIELDS, rows);
                return 0;
            }
            Table table = new Table("CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES");
            rows.forEach(row -> table.row(
                    row.get("ID"),
                    row.get("Image"),
                    row.get("Command"),
                    row.get("RunningFor"),
                    row.get("Status"),
                    row.get("Ports"),
                    row.get("Names")));
            table.print(System.out);
            return 0;
        }
    }
}
