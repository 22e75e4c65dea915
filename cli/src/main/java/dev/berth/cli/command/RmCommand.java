package dev.berth.cli.command;

import dev.berth.cli.Berth;
import dev.berth.cli.CliException;
import dev.berth.cli.CommandDefinition;
import dev.berth.cli.container.CliContainer;
import dev.berth.cli.container.Containers;
import dev.berth.cli.container.Lifecycle;
import dev.berth.cli.container.State;
import dev.berth.cli.cri.Cri;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

public final class RmCommand implements Callable<Integer> {

    private final Berth berth;
    private boolean force;
    private boolean volumes;
    private List<String> refs;

    public RmCommand(Berth berth) {
        this.berth = berth;
    }

    public CommandSpec spec() {
        return CommandDefinition.of(
                        this, "rm", "Remove containers (with their pod). kubelet's are removed only when given by ID.")
                .flag("-f,--force", "Remove running containers too (they are killed)", v -> force = v)
                .flag(
                        "-v,--volumes",
                        "Accepted for docker's sake: bind mounts are the only volumes, and stay",
                        v -> volumes = v)
                .positionals("0..*", "1..*", "CONTAINER", "", v -> refs = v)
                .spec();
    }

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
