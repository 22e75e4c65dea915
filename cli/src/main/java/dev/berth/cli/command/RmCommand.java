package dev.berth.cli.command;

import dev.berth.cli.Berth;
import dev.berth.cli.CliException;
import dev.berth.cli.container.CliContainer;
import dev.berth.cli.container.Containers;
import dev.berth.cli.container.Lifecycle;
import dev.berth.cli.container.State;
import dev.berth.cli.cri.Cri;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "rm", description = "Remove containers (with their pod). kubelet's are removed only when given by ID.")
public final class RmCommand implements Callable<Integer> {

    @ParentCommand
    private Berth berth;

    @Option(
            names = {"-f", "--force"},
            description = "Remove running containers too (they are killed)")
    private boolean force;

    @Option(
            names = {"-v", "--volumes"},
            description = "Accepted for docker's sake: bind mounts are the only volumes, and stay")
    private boolean volumes;

    @Parameters(paramLabel = "CONTAINER", arity = "1..*")
    private List<String> refs;

    @Override
    public Integer call() {
        int code = 0;
        try (Cri cri = berth.connect()) {
            Containers containers = new Containers(cri);
            Lifecycle lifecycle = new Lifecycle(cri);
            for (String ref : refs) {
                try {
                    remove(containers.find(ref), lifecycle);
                    System.out.println(ref);
                } catch (CliException e) {
                    System.err.println("berth: " + e.getMessage());
                    code = 1;
                }
            }
        }
        return code;
    }

    private void remove(CliContainer container, Lifecycle lifecycle) {
        if (container.state() == State.RUNNING && !force) {
            throw new CliException("cannot remove the running container " + container.name()
                    + ": stop it first, or remove it with rm -f");
        }
        if (!container.managed() && container.containerId().isPresent()) {
            lifecycle.removeContainer(container.containerId().get());
            return;
        }
        lifecycle.removePod(container);
    }
}
