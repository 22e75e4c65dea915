package dev.berth.build.dockerfile;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A parsed Dockerfile: the ARGs before the first FROM (usable only in FROM lines) and the stages.
 * {@code escape} is the escape character the {@code # escape=} directive chose.
 */
public record Dockerfile(String fileName, char escape, List<Instruction.Arg> globalArgs, List<Stage> stages) {

    public Dockerfile {
        globalArgs = List.copyOf(globalArgs);
        stages = List.copyOf(stages);
    }

    /** Parses {@code text}; {@code fileName} is only for error messages. */
    public static Dockerfile parse(String fileName, String text) throws DockerfileException {
        return new DockerfileParser(fileName).parse(text);
    }

    /** The stage a {@code --from} or {@code --target} names: by name (any case) or by index. */
    public Optional<Stage> stage(String nameOrIndex) {
        String name = nameOrIndex.toLowerCase(Locale.ROOT);
        for (Stage stage : stages) {
            if (!stage.name().isEmpty() && stage.name().equals(name)) {
                return Optional.of(stage);
            }
        }
        if (!name.isEmpty() && name.chars().allMatch(Character::isDigit) && name.length() < 6) {
            int index = Integer.parseInt(name);
            return index < stages.size() ? Optional.of(stages.get(index)) : Optional.empty();
        }
        return Optional.empty();
    }
}
