package dev.berth.build.dockerfile;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The stages a build runs, in Dockerfile order: the {@code --target} stage (else the last) and every stage
 * it needs through FROM or {@code COPY --from}, with the global ARGs resolved and the FROM lines expanded.
 * A {@code --from} that names no stage is an image. The executor builds each {@link #stages() stage}
 * with a {@link #scope} over its base's environment.
 */
public record BuildPlan(
        Dockerfile dockerfile, BuildOptions options, Map<String, String> globals, List<PlannedStage> stages) {

    public BuildPlan {
        globals = Collections.unmodifiableMap(new LinkedHashMap<>(globals));
        stages = List.copyOf(stages);
    }

    public static BuildPlan of(Dockerfile dockerfile, BuildOptions options) throws DockerfileException {
        Map<String, String> globals = globalArgs(dockerfile, options);
        ShellLex lex = new ShellLex(dockerfile.escape());
        List<PlannedStage> all = new ArrayList<>();
        for (Stage stage : dockerfile.stages()) {
            all.add(planned(dockerfile, stage, lex, globals, all));
        }
        Stage target = target(dockerfile, options.target());
        List<List<Integer>> needs = new ArrayList<>();
        for (PlannedStage planned : all) {
            needs.add(dependencies(dockerfile, planned, options, globals));
        }
        BitSet needed = new BitSet();
        visit(dockerfile, target.index(), needs, needed, new BitSet());
        List<PlannedStage> stages = new ArrayList<>();
        needed.stream().forEach(index -> stages.add(all.get(index)));
        return new BuildPlan(dockerfile, options, globals, stages);
    }

    /** A fresh scope for dispatching {@code stage} on a base whose config has {@code baseEnv}. */
    public StageScope scope(Map<String, String> baseEnv) {
        return new StageScope(dockerfile, baseEnv, options.buildArgs(), globals);
    }

    /** The stage a resolved {@code COPY --from} value refers to; empty when it names an image. */
    public Optional<Stage> stageNamed(String from) {
        return dockerfile.stage(from);
    }

    private static Map<String, String> globalArgs(Dockerfile dockerfile, BuildOptions options)
            throws DockerfileException {
        Map<String, String> globals = new LinkedHashMap<>(options.platformArgs());
        ShellLex lex = new ShellLex(dockerfile.escape());
        for (Instruction.Arg arg : dockerfile.globalArgs()) {
            for (ArgDefinition definition : arg.definitions()) {
                String name = definition.name();
                if (options.buildArgs().containsKey(name)) {
                    globals.put(name, options.buildArgs().get(name));
                } else if (definition.defaultValue() != null) {
                    globals.put(name, expand(dockerfile, lex, arg, definition.defaultValue(), globals));
                } else {
                    globals.putIfAbsent(name, null);
                }
            }
        }
        return globals;
    }

    private static PlannedStage planned(
            Dockerfile dockerfile, Stage stage, ShellLex lex, Map<String, String> globals, List<PlannedStage> earlier)
            throws DockerfileException {
        Instruction.From from = stage.from();
        String base = expand(dockerfile, lex, from, from.image(), globals);
        if (base.isBlank()) {
            throw new DockerfileException(
                    dockerfile.fileName(), from.line(), "FROM", "base name (" + from.image() + ") should not be blank");
        }
        String platform = expand(dockerfile, lex, from, from.platform(), globals);
        for (PlannedStage previous : earlier) {
            if (!previous.stage().name().isEmpty() && previous.stage().name().equalsIgnoreCase(base)) {
                return new PlannedStage(
                        stage, previous.stage().name(), previous.stage().index(), platform);
            }
        }
        return new PlannedStage(stage, base, -1, platform);
    }

    /**
     * The stages {@code planned} uses. {@code --from} values are expanded with the stage's ARGs and ENVs as
     * far as they are known before the build (without the base image's environment).
     */
    private static List<Integer> dependencies(
            Dockerfile dockerfile, PlannedStage planned, BuildOptions options, Map<String, String> globals)
            throws DockerfileException {
        TreeSet<Integer> needs = new TreeSet<>();
        if (planned.baseStage() >= 0) {
            needs.add(planned.baseStage());
        }
        StageScope scope = new StageScope(dockerfile, Map.of(), options.buildArgs(), globals);
        for (Instruction instruction : planned.stage().instructions()) {
            switch (instruction) {
                case Instruction.Arg arg -> scope.resolve(arg);
                case Instruction.Env env -> scope.resolve(env);
                case Instruction.Copy copy
                when !copy.from().isEmpty() -> {
                    String from = scope.expand(copy, copy.from());
                    Optional<Stage> source = dockerfile.stage(from);
                    if (source.isPresent()) {
                        if (source.get().index() == planned.stage().index()) {
                            throw new DockerfileException(
                                    dockerfile.fileName(),
                                    copy.line(),
                                    "COPY",
                                    "--from=" + from + " refers to its own stage");
                        }
                        needs.add(source.get().index());
                    }
                }
                default -> {}
            }
        }
        return List.copyOf(needs);
    }

    private static void visit(Dockerfile dockerfile, int index, List<List<Integer>> needs, BitSet done, BitSet active)
            throws DockerfileException {
        if (done.get(index)) {
            return;
        }
        if (active.get(index)) {
            Stage stage = dockerfile.stages().get(index);
            throw new DockerfileException(
                    dockerfile.fileName(),
                    stage.from().line(),
                    "FROM",
                    "circular dependency between stages through stage " + stage.label());
        }
        active.set(index);
        for (int need : needs.get(index)) {
            visit(dockerfile, need, needs, done, active);
        }
        active.clear(index);
        done.set(index);
    }

    private static Stage target(Dockerfile dockerfile, String target) throws DockerfileException {
        if (target.isEmpty()) {
            return dockerfile.stages().get(dockerfile.stages().size() - 1);
        }
        return dockerfile.stages().stream()
                .filter(stage -> stage.name().equalsIgnoreCase(target))
                .findFirst()
                .orElseThrow(() -> new DockerfileException(
                        dockerfile.fileName(), 0, "", "target stage \"" + target + "\" could not be found"));
    }

    private static String expand(
            Dockerfile dockerfile, ShellLex lex, Instruction at, String word, Map<String, String> env)
            throws DockerfileException {
        try {
            return lex.processWord(word, env::get);
        } catch (InvalidInstructionException e) {
            throw new DockerfileException(dockerfile.fileName(), at.line(), at.keyword(), e.getMessage());
        }
    }
}
