package dev.berth.cli.command;

import dev.berth.cli.Berth;
import dev.berth.cli.CliException;
import dev.berth.cli.CommandDefinition;
import dev.berth.cli.container.CliContainer;
import dev.berth.cli.container.Lifecycle;
import dev.berth.cli.container.State;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

public final class StartCommand implements Callable<Integer> {

    private final Berth berth;
    private List<String> refs;

    public StartCommand(Berth berth) {
        this.berth = berth;
    }

    public CommandSpec spec() {
        return CommandDefinition.of(this, "start", "Start stopped containers")
                .positionals("0..*", "1..*", "CONTAINER", "", v -> refs = v)
                .spec();
    }

    @Override
    public Integer call() {
        return EachContainer.run(berth, refs, (ref, containers, lifecycle) -> start(containers.find(ref), lifecycle));
    }

    /** A created container starts; an exited one of the CLI's is made again in its pod and started. */
    static void start(CliContainer container, Lifecycle lifecycle) {
        State state = container.state();
        if (state == State.RUNNING) {
            return;
        }
        if (state == State.CREATED && container.containerId().isPresent()) {
            lifecycle.start(container.containerId().get());
            return;
        }
        if (!container.managed()) {
            throw new CliException("container " + container.id() + " is not berth's: its owner (kubelet) restarts it");
        }
        lifecycle.recreate(container);
    }
}
