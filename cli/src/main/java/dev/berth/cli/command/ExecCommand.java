package dev.berth.cli.command;

import dev.berth.api.v1.ContainerExecRequest;
import dev.berth.cli.Berth;
import dev.berth.cli.CliException;
import dev.berth.cli.CommandDefinition;
import dev.berth.cli.container.CliContainer;
import dev.berth.cli.container.Containers;
import dev.berth.cli.container.State;
import dev.berth.cli.cri.Cri;
import dev.berth.cri.v1.ExecRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * docker exec. CRI's Exec carries argv alone, so -u, -w and -e go through berthd's berth.v1 Exec, which runs the
 * process with them as docker does; a CRI-only runtime gets -w and -e through the image's sh and env, and -u is
 * refused.
 */
public final class ExecCommand implements Callable<Integer> {

    private final Berth berth;
    private boolean interactive;
    private boolean tty;
    private String user;
    private String workdir;
    private List<String> env = new ArrayList<>();
    private String ref;
    private List<String> command;

    public ExecCommand(Berth berth) {
        this.berth = berth;
    }

    public CommandSpec spec() {
        return CommandDefinition.of(this, "exec", "Run a command in a running container")
                .flag("-i,--interactive", "Keep stdin open", v -> interactive = v)
                .flag("-t,--tty", "Allocate a terminal", v -> tty = v)
                .option(
                        "-u,--user",
                        "USER[:GROUP]",
                        "Run as this user (name or uid, of the container's /etc/passwd; berthd only)",
                        v -> user = v)
                .option("-w,--workdir", "DIR", "Working directory inside the container", v -> workdir = v)
                .repeatable("-e,--env", "K=V", "Set an environment variable (K alone: its value here)", v -> env = v)
                .positional("0", "CONTAINER", "", v -> ref = v)
                .positionals("1..*", "1..*", "COMMAND", "", v -> command = v)
                .spec();
    }

    @Override
    public Integer call() throws InterruptedException {
        List<String> variables = variables();
        try (Cri cri = berth.connect()) {
            CliContainer container = new Containers(cri).find(ref);
            if (container.state() != State.RUNNING || container.containerId().isEmpty()) {
                throw new CliException("container " + ref + " is not running");
            }
            String id = container.containerId().get();
            boolean options = user != null || workdir != null || !variables.isEmpty();
            Optional<String> url = options ? berthExec(cri, id, variables) : Optional.empty();
            if (url.isEmpty()) {
                url = Optional.of(cri.call("exec in " + ref, () -> cri.runtime().exec(request(id, wrapped(variables))))
                        .getUrl());
            }
            return Math.max(0, Streams.attach(url.get(), interactive, tty, false));
        }
    }

    /** Through berthd's berth.v1 Exec; empty when the runtime has none (a CRI-only runtime such as containerd). */
    private Optional<String> berthExec(Cri cri, String id, List<String> variables) {
        ContainerExecRequest.Builder request =
                ContainerExecRequest.newBuilder().setExec(request(id, command)).addAllEnv(variables);
        if (user != null) {
            request.setUser(user);
        }
        if (workdir != null) {
            request.setWorkdir(workdir);
        }
        try {
            return Optional.of(cri.berthContainers().exec(request.build()).getUrl());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
                throw cri.failure("exec in " + ref, e);
            }
        }
        if (user != null) {
            throw new CliException("exec -u is not possible on this runtime: it speaks CRI alone, whose Exec has no"
                    + " user (berthd's berth.v1 Exec has; without -u the command runs as the container's user)");
        }
        return Optional.empty();
    }

    private ExecRequest request(String id, List<String> argv) {
        return ExecRequest.newBuilder()
                .setContainerId(id)
                .addAllCmd(argv)
                .setTty(tty)
                .setStdin(interactive)
                .setStdout(true)
                .setStderr(!tty)
                .build();
    }

    /** CRI's Exec takes only argv: a working directory and variables go through the image's sh and env. */
    private List<String> wrapped(List<String> variables) {
        List<String> argv = new ArrayList<>();
        if (workdir != null) {
            argv.addAll(List.of("sh", "-c", "cd \"$0\" && exec \"$@\"", workdir));
        }
        if (!variables.isEmpty()) {
            argv.add("env");
            argv.addAll(variables);
        }
        argv.addAll(command);
        return argv;
    }

    /** The -e entries as KEY=value; a KEY alone takes its value here, and is left out where it has none, as with run. */
    private List<String> variables() {
        List<String> variables = new ArrayList<>();
        for (String item : env) {
            int eq = item.indexOf('=');
            if (eq == 0) {
                throw new CliException("invalid environment variable: " + item);
            }
            if (eq > 0) {
                variables.add(item);
            } else if (System.getenv(item) != null) {
                variables.add(item + "=" + System.getenv(item));
            }
        }
        return variables;
    }
}
