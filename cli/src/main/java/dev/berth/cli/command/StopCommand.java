package dev.berth.cli.command;

import dev.berth.cli.Berth;
import dev.berth.cli.CommandDefinition;
import dev.berth.cli.container.CliContainer;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;

public final class StopCommand implements Callable<Integer> {

    private static final int SUCCESSORS_TO_CHASE = 3;

    private final Berth berth;
    private long seconds = 10;
    private List<String> refs;

    public StopCommand(Berth berth) {
        this.berth = berth;
    }

    public CommandSpec spec() {
        return timeAndContainers(
                        CommandDefinition.of(
                                this, "stop", "Stop running containers (the stop signal, SIGKILL after the timeout)"),
                        v -> seconds = v,
                        v -> refs = v)
                .spec();
    }

    /** docker's arguments of stop and restart: {@code -t SECONDS} before SIGKILL, then the containers. */
    static CommandDefinition timeAndContainers(
            CommandDefinition command, Consumer<Long> seconds, Consumer<List<String>> refs) {
        return command.option(
                        "-t,--time", "SECONDS", "Seconds to wait before killing (default: 10)", Long.class, seconds)
                .positionals("0..*", "1..*", "CONTAINER", "", refs);
    }

    @Override
    public Integer call() {
        return EachContainer.run(berth, refs, (ref, containers, lifecycle) -> {
            CliContainer container = containers.find(ref);
            lifecycle.stop(container, seconds);
            // a restart policy may have put a successor in its place while the stop was on its way (berthd then
            // keeps it from starting); stop whatever now holds the name, as docker's stop ends a restart loop
            for (int i = 0; i < SUCCESSORS_TO_CHASE; i++) {
                CliContainer now = containers.lookup(ref).orElse(null);
                if (now == null || now.containerId().equals(container.containerId())) {
                    return;
                }
                container = now;
                lifecycle.stop(container, seconds);
            }
        });
    }
}
