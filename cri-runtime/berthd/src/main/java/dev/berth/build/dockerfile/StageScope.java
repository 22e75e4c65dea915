package dev.berth.build.dockerfile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The variables one stage sees while its instructions are dispatched in order, with Docker's rules: ENV
 * (the base image's, then the stage's) wins over ARG; an ARG takes the {@code --build-arg} if given, else
 * its default, else the global ARG of that name; global ARGs are otherwise invisible in a stage. Only the
 * instructions Docker expands are expanded (ADD, COPY, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME,
 * WORKDIR, ARG); RUN, CMD, ENTRYPOINT, HEALTHCHECK, SHELL and ONBUILD are left to the shell or the image.
 * Not thread-safe: one scope per stage being built.
 */
public final class StageScope {

    /** Proxy variables a build arg may set for RUN without an ARG line, as Docker's predefined ARGs. */
    public static final Set<String> PROXY_ARGS = Set.of(
            "HTTP_PROXY",
            "http_proxy",
            "HTTPS_PROXY",
            "https_proxy",
            "FTP_PROXY",
            "ftp_proxy",
            "NO_PROXY",
            "no_proxy",
            "ALL_PROXY",
            "all_proxy");

    private static final Pattern OCTAL_MODE = Pattern.compile("[0-7]{3,4}");

    private final String fileName;
    private final ShellLex lex;
    private final ShellLex heredocLex;
    private final Map<String, String> buildArgs;
    private final Map<String, String> globals;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Map<String, String> args = new LinkedHashMap<>();

    /**
     * {@code imageEnv} is the base image's {@code Env} (or the base stage's final ENV); {@code globals} are
     * the global ARGs and platform arguments as {@link BuildPlan} resolved them.
     */
    public StageScope(
            Dockerfile dockerfile,
            Map<String, String> imageEnv,
            Map<String, String> buildArgs,
            Map<String, String> globals) {
        this.fileName = dockerfile.fileName();
        this.lex = new ShellLex(dockerfile.escape());
        this.heredocLex = new ShellLex('\\', true);
        this.buildArgs = Map.copyOf(buildArgs);
        this.globals = Collections.unmodifiableMap(new LinkedHashMap<>(globals));
        this.env.putAll(imageEnv);
    }

    /** The image config's environment so far: the base's, then every ENV of the stage. */
    public Map<String, String> environment() {
        return Collections.unmodifiableMap(env);
    }

    /**
     * The environment of a RUN: ENV, then the declared ARGs that have a value and no ENV of the same name,
     * then the proxy build args; {@code KEY=value} strings.
     */
    public List<String> runEnvironment() {
        Map<String, String> run = new LinkedHashMap<>(env);
        args.forEach((name, value) -> {
            if (value != null) {
                run.putIfAbsent(name, value);
            }
        });
        for (String proxy : PROXY_ARGS.stream().sorted().toList()) {
            if (buildArgs.containsKey(proxy)) {
                run.putIfAbsent(proxy, buildArgs.get(proxy));
            }
        }
        List<String> result = new ArrayList<>();
        run.forEach((name, value) -> result.add(name + "=" + value));
        return result;
    }

    /** A variable as this stage sees it now; null when unset. */
    public String lookup(String name) {
        String value = env.get(name);
        return value != null ? value : args.get(name);
    }

    /** Expands one word ({@code --from} values, paths) with the stage's variables. */
    public String expand(Instruction at, String word) throws DockerfileException {
        try {
            return lex.processWord(word, this::lookup);
        } catch (InvalidInstructionException e) {
            throw failure(at, e);
        }
    }

    /** The instruction with its variables expanded; ARG and ENV also change the scope for what follows. */
    public Instruction resolve(Instruction instruction) throws DockerfileException {
        try {
            return switch (instruction) {
                case Instruction.Arg arg -> declare(arg);
                case Instruction.Env set -> setEnv(set);
                case Instruction.Label label -> new Instruction.Label(label.line(), pairs(label.labels()));
                case Instruction.Copy copy -> copy(copy);
                case Instruction.Expose expose ->
                    new Instruction.Expose(expose.line(), ExposedPorts.keys(words(expose.ports())));
                case Instruction.Volume volume -> new Instruction.Volume(volume.line(), each(volume.paths()));
                case Instruction.User user -> new Instruction.User(user.line(), word(user.user()));
                case Instruction.Workdir workdir -> new Instruction.Workdir(workdir.line(), word(workdir.path()));
                case Instruction.StopSignal signal -> new Instruction.StopSignal(signal.line(), word(signal.signal()));
                default -> instruction;
            };
        } catch (InvalidInstructionException e) {
            throw failure(instruction, e);
        }
    }

    private Instruction.Arg declare(Instruction.Arg arg) throws InvalidInstructionException {
        List<ArgDefinition> resolved = new ArrayList<>();
        for (ArgDefinition definition : arg.definitions()) {
            String name = definition.name();
            String value;
            if (buildArgs.containsKey(name)) {
                value = buildArgs.get(name);
            } else if (definition.defaultValue() != null) {
                value = word(definition.defaultValue());
            } else {
                value = globals.get(name);
            }
            args.put(name, value);
            resolved.add(new ArgDefinition(name, value));
        }
        return new Instruction.Arg(arg.line(), resolved);
    }

    private Instruction.Env setEnv(Instruction.Env set) throws InvalidInstructionException {
        // every pair sees the variables from before the line, as Docker does
        List<KeyValue> resolved = pairs(set.variables());
        for (KeyValue pair : resolved) {
            env.put(pair.key(), pair.value());
        }
        return new Instruction.Env(set.line(), resolved);
    }

    private Instruction.Copy copy(Instruction.Copy copy) throws InvalidInstructionException {
        List<String> sources = each(copy.sources());
        if (copy.add()) {
            CopyParser.rejectRemote(sources);
        }
        String chmod = word(copy.chmod());
        if (!chmod.isEmpty() && !OCTAL_MODE.matcher(chmod).matches()) {
            throw new InvalidInstructionException("invalid --chmod " + chmod + ": an octal mode like 0755 is needed");
        }
        List<Heredoc> heredocs = new ArrayList<>();
        for (Heredoc heredoc : copy.heredocs()) {
            heredocs.add(
                    heredoc.expand()
                            ? new Heredoc(
                                    heredoc.name(),
                                    heredocLex.processWord(heredoc.content(), this::lookup),
                                    true,
                                    heredoc.chompTabs())
                            : heredoc);
        }
        return new Instruction.Copy(
                copy.line(),
                copy.add(),
                sources,
                word(copy.destination()),
                word(copy.from()),
                word(copy.chown()),
                chmod,
                heredocs);
    }

    private List<KeyValue> pairs(List<KeyValue> pairs) throws InvalidInstructionException {
        List<KeyValue> resolved = new ArrayList<>();
        for (KeyValue pair : pairs) {
            resolved.add(new KeyValue(word(pair.key()), word(pair.value())));
        }
        return resolved;
    }

    private List<String> each(List<String> words) throws InvalidInstructionException {
        List<String> resolved = new ArrayList<>();
        for (String word : words) {
            resolved.add(word(word));
        }
        return resolved;
    }

    private List<String> words(List<String> words) throws InvalidInstructionException {
        List<String> resolved = new ArrayList<>();
        for (String word : words) {
            resolved.addAll(lex.processWords(word, this::lookup));
        }
        return resolved;
    }

    private String word(String word) throws InvalidInstructionException {
        return lex.processWord(word, this::lookup);
    }

    private DockerfileException failure(Instruction at, InvalidInstructionException e) {
        return new DockerfileException(fileName, at.line(), at.keyword(), e.getMessage());
    }
}
