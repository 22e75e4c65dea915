package dev.berth.build;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.build.dockerfile.ArgDefinition;
import dev.berth.build.dockerfile.Command;
import dev.berth.build.dockerfile.Instruction;
import dev.berth.build.dockerfile.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An instruction as one line of text: for the client's step line, for the history's {@code created_by} (in the
 * form BuildKit writes, "RUN /bin/sh -c make # buildkit") and as part of a step's cache key.
 */
final class InstructionText {

    private static final ObjectMapper JSON = new ObjectMapper();

    private InstructionText() {}

    static String of(Instruction instruction) {
        return switch (instruction) {
            case Instruction.From from ->
                "FROM " + (from.platform().isEmpty() ? "" : "--platform=" + from.platform() + " ") + from.image()
                        + (from.name().isEmpty() ? "" : " AS " + from.name());
            case Instruction.Run run -> "RUN " + command(run.command());
            case Instruction.Cmd cmd -> "CMD " + command(cmd.command());
            case Instruction.Entrypoint entrypoint -> "ENTRYPOINT " + command(entrypoint.command());
            case Instruction.Label label -> "LABEL " + pairs(label.labels());
            case Instruction.Expose expose -> "EXPOSE " + String.join(" ", expose.ports());
            case Instruction.Env env -> "ENV " + pairs(env.variables());
            case Instruction.Copy copy -> copy(copy);
            case Instruction.Volume volume -> "VOLUME " + json(volume.paths());
            case Instruction.User user -> "USER " + user.user();
            case Instruction.Workdir workdir -> "WORKDIR " + workdir.path();
            case Instruction.Arg arg -> "ARG " + args(arg.definitions());
            case Instruction.Onbuild onbuild -> "ONBUILD " + onbuild.expression();
            case Instruction.StopSignal signal -> "STOPSIGNAL " + signal.signal();
            case Instruction.Healthcheck check ->
                check.disabled() ? "HEALTHCHECK NONE" : "HEALTHCHECK CMD " + command(check.test());
            case Instruction.Shell shell -> "SHELL " + json(shell.shell());
            case Instruction.Maintainer maintainer -> "MAINTAINER " + maintainer.maintainer();
        };
    }

    /** The history's {@code created_by} of a resolved instruction run with {@code shell}. */
    static String createdBy(Instruction instruction, List<String> shell) {
        return switch (instruction) {
            case Instruction.Run run -> "RUN " + String.join(" ", runArgv(run, shell)) + " # buildkit";
            case Instruction.Copy copy -> copy(copy) + " # buildkit";
            case Instruction.Workdir workdir -> "WORKDIR " + workdir.path();
            default -> of(instruction);
        };
    }

    /** The process of a RUN: exec form as written, shell form through the stage's SHELL. */
    static List<String> runArgv(Instruction.Run run, List<String> shell) {
        if (run.command() instanceof Command.Exec exec) {
            return exec.argv();
        }
        List<String> argv = new ArrayList<>(shell);
        argv.add(run.shellScript());
        return argv;
    }

    private static String copy(Instruction.Copy copy) {
        StringBuilder text = new StringBuilder(copy.keyword());
        if (!copy.from().isEmpty()) {
            text.append(" --from=").append(copy.from());
        }
        if (!copy.chown().isEmpty()) {
            text.append(" --chown=").append(copy.chown());
        }
        if (!copy.chmod().isEmpty()) {
            text.append(" --chmod=").append(copy.chmod());
        }
        for (String source : copy.sources()) {
            text.append(' ').append(source);
        }
        copy.heredocs().forEach(heredoc -> text.append(" <<").append(heredoc.name()));
        return text.append(' ').append(copy.destination()).toString();
    }

    private static String command(Command command) {
        return switch (command) {
            case Command.Shell shell -> shell.script();
            case Command.Exec exec -> json(exec.argv());
        };
    }

    private static String pairs(List<KeyValue> pairs) {
        return pairs.stream().map(p -> p.key() + "=" + p.value()).collect(Collectors.joining(" "));
    }

    private static String args(List<ArgDefinition> definitions) {
        return definitions.stream()
                .map(d -> d.defaultValue() == null ? d.name() : d.name() + "=" + d.defaultValue())
                .collect(Collectors.joining(" "));
    }

    private static String json(List<String> words) {
        try {
            return JSON.writeValueAsString(words);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
