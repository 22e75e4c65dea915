package dev.berth.cli.command;

import dev.berth.cli.Berth;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "stop", description = "Stop running containers (the stop signal, SIGKILL after the timeout)")
public final class StopCommand implements Callable<Integer> {

    @ParentCommand
    private Berth berth;

    @Option(
            names = {"-t", "--time"},
            paramLabel = "SECONDS",
            description = "Seconds to wait before killing (default: 10)")
    private long seconds = 10;

    @Parameters(paramLabel = "CONTAINER", arity = "1..*")
    private List<String> refs;

    @Override
    public Integer call() {
        return EachContainer.run(
                berth, refs, (ref, containers, lifecycle) -> lifecycle.stop(containers.find(ref), seconds));
    }
}
