package dev.berth.cli.command;

import dev.berth.cli.Berth;
import dev.berth.cli.CliException;
import dev.berth.cli.CommandDefinition;
import dev.berth.cli.container.CliContainer;
import dev.berth.cli.container.Containers;
import dev.berth.cli.container.State;
import dev.berth.cli.cri.Cri;
import dev.berth.cli.format.Json;
import dev.berth.cli.format.Table;
import dev.berth.cli.image.ImageInfo;
import dev.berth.cri.v1.ContainerStatusRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Model.CommandSpec;

/**
 * docker top: the container's processes as the host sees them. CRI has no such call; the runtime's verbose
 * status names the container's init pid (berthd's and containerd's "pid"), and its descendants are read from
 * /proc here, so this works where the CLI runs beside the runtime.
 */
public final class TopCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());

    private final Berth berth;
    private String ref;

    public TopCommand(Berth berth) {
        this.berth = berth;
    }

    public CommandSpec spec() {
        return CommandDefinition.of(this, "top", "Show a container's processes (host PIDs)")
                .positional("0", "CONTAINER", "", v -> ref = v)
                .spec();
    }

    @Override
    public Integer call() {
        try (Cri cri = berth.connect()) {
            CliContainer container = new Containers(cri).find(ref);
            if (container.state() != State.RUNNING || container.containerId().isEmpty()) {
                throw new CliException("container " + ref + " is not running");
            }
            String info = cri.call(
                            "status of " + ref,
                            () -> cri.runtime()
                                    .containerStatus(ContainerStatusRequest.newBuilder()
                                            .setContainerId(
                                                    container.containerId().get())
                                            .setVerbose(true)
                                            .build()))
                    .getInfoOrDefault("info", "{}");
            long pid = Json.path(ImageInfo.parse(info), "pid") instanceof Number number ? number.longValue() : 0;
            ProcessHandle init = ProcessHandle.of(pid)
                    .orElseThrow(() -> new CliException("the runtime names no process of " + ref
                            + " that this host has (is the CLI on the runtime's machine?)"));
            Table table = new Table("UID", "PID", "PPID", "STIME", "CMD");
            List<ProcessHandle> processes = new ArrayList<>();
            processes.add(init);
            try (Stream<ProcessHandle> descendants = init.descendants()) {
                descendants.forEach(processes::add);
            }
            for (ProcessHandle process : processes) {
                table.row(
                        status(process.pid(), "Uid:"),
                        Long.toString(process.pid()),
                        status(process.pid(), "PPid:"),
                        process.info().startInstant().map(TIME::format).orElse("?"),
                        commandLine(process.pid()));
            }
            table.print(System.out);
            return 0;
        }
    }

    private static String status(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field)) {
                    return line.substring(field.length()).strip().split("\\s+")[0];
                }
            }
        } catch (IOException e) {
            // the process ended meanwhile
        }
        return "?";
    }

    private static String commandLine(long pid) {
        try {
            byte[] bytes = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                    .replace('\0', ' ')
                    .strip();
        } catch (IOException e) {
            return "?";
        }
    }
}
