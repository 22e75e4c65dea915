package dev.berth.cli.command;

import dev.berth.cli.Berth;
import dev.berth.cli.CliException;
import dev.berth.cli.container.CliContainer;
import dev.berth.cli.container.Lifecycle;
import dev.berth.cli.container.State;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "start", description = "Start stopped containers")
public final class StartCommand implements Callable<Integer> {

    @ParentCommand
    private Berth berth;

    @Parameters(paramLabel = "CONTAINER", arity = "1..*")
    private List<String> refs;

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
