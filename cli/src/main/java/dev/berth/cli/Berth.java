package dev.berth.cli;

import dev.berth.cli.command.AttachCommand;
import dev.berth.cli.command.BuildCommand;
import dev.berth.cli.command.CpCommand;
import dev.berth.cli.command.ExecCommand;
import dev.berth.cli.command.HistoryCommand;
import dev.berth.cli.command.ImagesCommand;
import dev.berth.cli.command.InfoCommand;
import dev.berth.cli.command.InspectCommand;
import dev.berth.cli.command.LogsCommand;
import dev.berth.cli.command.PortCommand;
import dev.berth.cli.command.PsCommand;
import dev.berth.cli.command.PullCommand;
import dev.berth.cli.command.PushCommand;
import dev.berth.cli.command.RestartCommand;
import dev.berth.cli.command.RmCommand;
import dev.berth.cli.command.RmiCommand;
import dev.berth.cli.command.RunCommand;
import dev.berth.cli.command.StartCommand;
import dev.berth.cli.command.StatsCommand;
import dev.berth.cli.command.StopCommand;
import dev.berth.cli.command.TagCommand;
import dev.berth.cli.command.TopCommand;
import dev.berth.cli.command.VersionCommand;
import dev.berth.cli.cri.Cri;
import dev.berth.cli.cri.Endpoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ScopeType;

/** {@code berth}: docker's everyday commands over CRI, against berthd or any CRI runtime's socket. */
public final class Berth implements Runnable {

    /** docker's code for a failure of its own, where the container's code is otherwise passed on. */
    public static final int OWN_FAILURE = 125;
    /** The commands whose own failures exit 125, as docker's run, exec and start do. */
    private static final Set<String> CONTAINER_RUNNING = Set.of("run", "exec", "start", "restart", "attach");

    /**
     * The commands, in the order help lists them, each as the model it builds for this berth. Only the one the
     * arguments name is built: every start pays for what it builds.
     */
    static final Map<String, Function<Berth, CommandSpec>> COMMANDS = commands();

    private String endpoint;
    private CommandLine commandLine;

    @Override
    public void run() {
        commandLine.usage(System.out);
    }

    /** A connection to the endpoint the flags name; the caller closes it. */
    public Cri connect() {
        return Cri.connect(Endpoint.resolve(endpoint));
    }

    public Endpoint endpoint() {
        return Endpoint.resolve(endpoint);
    }

    public static void main(String[] args) {
        // gRPC logs through java.util.logging (and the channel through System.Logger): not the user's business.
        java.util.logging.LogManager.getLogManager().reset();
        System.exit(execute(args));
    }

    public static int execute(String[] args) {
        return commandLine(args).execute(args);
    }

    /** The command line for {@code args}: the command they name (all of them for none), set up to run. */
    public static CommandLine commandLine(String[] args) {
        Berth berth = new Berth();
        CommandLine line = new CommandLine(berth.spec());
        berth.commandLine = line;
        String name = commandName(args);
        Function<Berth, CommandSpec> named = COMMANDS.get(name);
        if (named != null) {
            line.addSubcommand(name, named.apply(berth));
        } else {
            COMMANDS.forEach((each, command) -> line.addSubcommand(each, command.apply(berth)));
        }
        line.setExecutionExceptionHandler((failure, commandLine, parseResult) -> {
            int own = CONTAINER_RUNNING.contains(commandLine.getCommandName()) ? OWN_FAILURE : 1;
            if (failure instanceof CliException e) {
                commandLine.getErr().println("berth: " + e.getMessage());
                return e.exitCode() != 0 ? e.exitCode() : own;
            }
            if (failure instanceof InterruptedException) {
                return 130;
            }
            commandLine.getErr().println("berth: unexpected failure: " + failure);
            return own;
        });
        line.setParameterExceptionHandler((failure, args1) -> {
            CommandLine commandLine = failure.getCommandLine();
            commandLine.getErr().println("berth: " + failure.getMessage());
            commandLine.usage(commandLine.getErr());
            return OWN_FAILURE;
        });
        // `run IMAGE sh -c …` and `exec NAME ls -l`: what follows the image or name is the container's command.
        for (String positional : List.of("run", "exec")) {
            if (line.getSubcommands().containsKey(positional)) {
                line.getSubcommands().get(positional).setStopAtPositional(true);
            }
        }
        return line;
    }

    private CommandSpec spec() {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(this).name("berth");
        spec.usageMessage()
                .description("Run and manage containers on a CRI runtime (berthd by default), with docker's commands.");
        spec.versionProvider(new VersionCommand.Provider());
        spec.addOption(OptionSpec.builder("-h", "--help")
                .usageHelp(true)
                .arity("0")
                .type(boolean.class)
                .description("Show this help message and exit.")
                .build());
        spec.addOption(OptionSpec.builder("-V", "--version")
                .versionHelp(true)
                .arity("0")
                .type(boolean.class)
                .description("Print version information and exit.")
                .build());
        // inherited: every command takes it, so it is declared before they are added
        spec.addOption(OptionSpec.builder("--endpoint")
                .scopeType(ScopeType.INHERIT)
                .paramLabel("URI")
                .type(String.class)
                .description("CRI socket (default: $BERTH_ENDPOINT, else " + Endpoint.DEFAULT + ")")
                .setter(new ISetter() {
                    @Override
                    public <T> T set(T value) {
                        endpoint = (String) value;
                        return null;
                    }
                })
                .build());
        return spec;
    }

    /** The first argument that is no global option (nor --endpoint's value); null if there is none. */
    static String commandName(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--endpoint")) {
                i++;
            } else if (!args[i].startsWith("-")) {
                return args[i];
            }
        }
        return null;
    }

    private static Map<String, Function<Berth, CommandSpec>> commands() {
        Map<String, Function<Berth, CommandSpec>> byName = new LinkedHashMap<>();
        byName.put("pull", berth -> new PullCommand(berth).spec());
        byName.put("build", berth -> new BuildCommand(berth).spec());
        byName.put("push", berth -> new PushCommand(berth).spec());
        byName.put("tag", berth -> new TagCommand(berth).spec());
        byName.put("history", berth -> new HistoryCommand(berth).spec());
        byName.put("images", berth -> new ImagesCommand(berth).spec());
        byName.put("rmi", berth -> new RmiCommand(berth).spec());
        byName.put("inspect", berth -> new InspectCommand(berth).spec());
        byName.put("run", berth -> new RunCommand(berth).spec());
        byName.put("ps", berth -> new PsCommand(berth).spec());
        byName.put("logs", berth -> new LogsCommand(berth).spec());
        byName.put("exec", berth -> new ExecCommand(berth).spec());
        byName.put("attach", berth -> new AttachCommand(berth).spec());
        byName.put("cp", berth -> new CpCommand(berth).spec());
        byName.put("stats", berth -> new StatsCommand(berth).spec());
        byName.put("top", berth -> new TopCommand(berth).spec());
        byName.put("stop", berth -> new StopCommand(berth).spec());
        byName.put("start", berth -> new StartCommand(berth).spec());
        byName.put("restart", berth -> new RestartCommand(berth).spec());
        byName.put("rm", berth -> new RmCommand(berth).spec());
        byName.put("port", berth -> new PortCommand(berth).spec());
        byName.put("version", berth -> new VersionCommand(berth).spec());
        byName.put("info", berth -> new InfoCommand(berth).spec());
        return java.util.Collections.unmodifiableMap(byName);
    }
}
