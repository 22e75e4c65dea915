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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code berth}: docker's everyday commands over CRI, against berthd or any CRI runtime's socket. */
@Command(
        name = "berth",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Run and manage containers on a CRI runtime (berthd by default), with docker's commands.")
public final class Berth implements Runnable {

    /** docker's code for a failure of its own, where the container's code is otherwise passed on. */
    public static final int OWN_FAILURE = 125;
    /** The commands whose own failures exit 125, as docker's run, exec and start do. */
    private static final Set<String> CONTAINER_RUNNING = Set.of("run", "exec", "start", "restart", "attach");

    /**
     * The commands, in the order help lists them. Only the one the arguments name is built: picocli reads each
     * command's annotations by reflection, and building all of them cost ~0.12 s of CPU at every start (measured
     * as {@code --help} against {@code ps --help}).
     */
    static final Map<String, Class<?>> COMMANDS = commands();

    @Option(
            names = "--endpoint",
            scope = ScopeType.INHERIT,
            paramLabel = "URI",
            description = "CRI socket (default: $BERTH_ENDPOINT, else " + Endpoint.DEFAULT + ")")
    private String endpoint;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
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
        CommandLine line = new CommandLine(new Berth());
        Class<?> named = COMMANDS.get(commandName(args));
        for (Class<?> command : named == null ? COMMANDS.values() : List.of(named)) {
            line.addSubcommand(command);
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

    /** By the names their {@code @Command} annotations give (BerthTest checks they agree), without reading them. */
    private static Map<String, Class<?>> commands() {
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        byName.put("pull", PullCommand.class);
        byName.put("build", BuildCommand.class);
        byName.put("push", PushCommand.class);
        byName.put("tag", TagCommand.class);
        byName.put("history", HistoryCommand.class);
        byName.put("images", ImagesCommand.class);
        byName.put("rmi", RmiCommand.class);
        byName.put("inspect", InspectCommand.class);
        byName.put("run", RunCommand.class);
        byName.put("ps", PsCommand.class);
        byName.put("logs", LogsCommand.class);
        byName.put("exec", ExecCommand.class);
        byName.put("attach", AttachCommand.class);
        byName.put("cp", CpCommand.class);
        byName.put("stats", StatsCommand.class);
        byName.put("top", TopCommand.class);
        byName.put("stop", StopCommand.class);
        byName.put("start", StartCommand.class);
        byName.put("restart", RestartCommand.class);
        byName.put("rm", RmCommand.class);
        byName.put("port", PortCommand.class);
        byName.put("version", VersionCommand.class);
        byName.put("info", InfoCommand.class);
        return java.util.Collections.unmodifiableMap(byName);
    }
}
