package dev.berth.cli.command;

import dev.berth.cli.Berth;
import dev.berth.cli.CliException;
import dev.berth.cli.CommandDefinition;
import dev.berth.cli.container.CliContainer;
import dev.berth.cli.container.Containers;
import dev.berth.cli.cri.Cri;
import dev.berth.cli.format.Table;
import dev.berth.cli.format.Template;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

public final class PsCommand implements Callable<Integer> {

    private final Berth berth;
    private boolean all;
    private boolean quiet;
    private boolean noTrunc;
    private String format;
    private List<String> filters = List.of();

    public PsCommand(Berth berth) {
        this.berth = berth;
    }

    public CommandSpec spec() {
        return CommandDefinition.of(this, "ps", "List containers (the ones berth run made)")
                .flag("-a,--all", "Show all containers (default: only running ones)", v -> all = v)
                .flag("-q,--quiet", "Only show container IDs", v -> quiet = v)
                .flag("--no-trunc", "Do not truncate IDs and commands", v -> noTrunc = v)
                .option("--format", "FORMAT", "json, or a template: '{{.Names}} {{.Status}}'", v -> format = v)
                .repeatable(
                        "-f,--filter",
                        "KEY=VALUE",
                        "name=PART, id=PREFIX, status=created|running|exited, label=K[=V]; all must match",
                        v -> filters = v)
                .spec();
    }

    /** docker's ps filters, the common ones. */
    private static boolean matches(CliContainer container, String filter) {
        int eq = filter.indexOf('=');
        if (eq <= 0) {
            throw new CliException("bad filter " + filter + ": KEY=VALUE");
        }
        String value = filter.substring(eq + 1);
        return switch (filter.substring(0, eq)) {
            case "name" -> container.name().contains(value);
            case "id" -> container.id().startsWith(value);
            case "status" -> container.state().word().equals(value);
            case "label" -> {
                int labelEq = value.indexOf('=');
                yield labelEq < 0
                        ? container.labels().containsKey(value)
                        : value.substring(labelEq + 1).equals(container.labels().get(value.substring(0, labelEq)));
            }
            default ->
                throw new CliException("unknown filter " + filter.substring(0, eq) + ": name, id, status or label");
        };
    }

    @Override
    public Integer call() {
        try (Cri cri = berth.connect()) {
            List<CliContainer> containers = new Containers(cri)
                    .listBrief(all || filters.stream().anyMatch(f -> f.startsWith("status="))).stream()
                            .filter(c -> filters.stream().allMatch(f -> matches(c, f)))
                            .toList();
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
            table(rows).print(System.out);
            return 0;
        }
    }

    static Table table(List<Map<String, String>> rows) {
        Table table = new Table("CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES");
        rows.forEach(row -> table.row(
                row.get("ID"),
                row.get("Image"),
                row.get("Command"),
                row.get("RunningFor"),
                row.get("Status"),
                row.get("Ports"),
                row.get("Names")));
        return table;
    }
}
