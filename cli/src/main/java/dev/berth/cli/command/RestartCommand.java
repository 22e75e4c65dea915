package dev.berth.cli.command;

import dev.berth.cli.Berth;
import dev.berth.cli.CommandDefinition;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

public final class RestartCommand implements Callable<Integer> {

    private final Berth berth;
    private long seconds = 10;
    private List<String> refs;

    public RestartCommand(Berth berth) {
        this.berth = berth;
    }

    public CommandSpec spec() {
        return StopCommand.timeAndContainers(
                        CommandDefinition.of(this, "restart", "Restart containers"), v -> seconds = v, v -> refs = v)
                .spec();
    }

    @Override
    public Integer call() {
        return EachContainer.run(berth, refs, (ref, containers, lifecycle) -> {
            lifecycle.stop(containers.find(ref), seconds);
            StartCommand.start(containers.find(ref), lifecycle);
        });
    }
}
