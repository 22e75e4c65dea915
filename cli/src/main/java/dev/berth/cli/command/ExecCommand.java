package dev.berth.cli.command;

import dev.berth.cli.Berth;
import dev.berth.cli.CliException;
import dev.berth.cli.container.CliContainer;
import dev.berth.cli.container.Containers;
import dev.berth.cli.container.State;
import dev.berth.cli.cri.Cri;
import dev.berth.cri.v1.ExecRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "exec", description = "Run a command in a running container")
public final class ExecCommand implements Callable<Integer> {

    @ParentCommand
    private Berth berth;

    @Option(
            names = {"-i", "--interactive"},
            description = "Keep stdin open")
    private boolean interactive;

    @Option(
            names = {"-t", "--tty"},
            description = "Allocate a terminal")
    private boolean tty;

    @Option(
            names = {"-u", "--user"},
            paramLabel = "USER",
            description = "Not in CRI's Exec: refused with a reason")
    private String user;

    @Option(
            names = {"-w", "--workdir"},
            paramLabel = "DIR",
            description = "Working directory (the command runs under the image's sh)")
    private String workdir;

    @Option(
            names = {"-e", "--env"},
            paramLabel = "K=V",
            description = "Set environment variables (the command runs under the image's env)")
    private List<String> env = new ArrayList<>();

    @Parameters(index = "0", paramLabel = "CONTAINER")
    private String ref;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND")
    private List<String> command;

    @Override
    public Integer call() throws InterruptedException {
        if (user != null) {
            throw new CliException("exec -u is not possible over CRI: its Exec request has no user (the command runs"
                    + " as the container's user)");
        }
        try (Cri cri = berth.connect()) {
            CliContainer container = new Containers(cri).find(ref);
            if (container.state() != State.RUNNING || container.containerId().isEmpty()) {
                throw new CliException("container " + ref + " is not running");
            }
            String url = cri.call(
                            "exec in " + ref,
                            () -> cri.runtime()
                                    .exec(ExecRequest.newBuilder()
                                            .setContainerId(
                                                    container.containerId().get())
                                            .addAllCmd(argv())
                                            .setTty(tty)
                                            .setStdin(interactive)
                                            .setStdout(true)
                                            .setStderr(!tty)
                                            .build()))
                    .getUrl();
            return Math.max(0, Streams.attach(url, interactive, tty, false));
        }
    }

    /** CRI's Exec takes only argv: a working directory and variables go through the image's sh and env. */
    private List<String> argv() {
        List<String> argv = new ArrayList<>();
        if (workdir != null) {
            argv.addAll(List.of("sh", "-c", "cd \"$0\" && exec \"$@\"", workdir));
        }
        if (!env.isEmpty()) {
            argv.add("env");
            argv.addAll(env);
        }
        argv.addAll(command);
        return argv;
    }
}
