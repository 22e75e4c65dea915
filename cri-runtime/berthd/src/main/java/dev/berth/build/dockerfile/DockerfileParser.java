package dev.berth.build.dockerfile;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Lexes and parses a whole Dockerfile into its global ARGs and stages. */
final class DockerfileParser {

    private final String fileName;

    DockerfileParser(String fileName) {
        this.fileName = fileName;
    }

    Dockerfile parse(String text) throws DockerfileException {
        DockerfileLexer.Lexed lexed = new DockerfileLexer(fileName).lex(text);
        if (lexed.instructions().isEmpty()) {
            throw new DockerfileException(fileName, 0, "", "the Dockerfile has no instructions");
        }
        InstructionParser parser = new InstructionParser(lexed.escape());
        List<Instruction.Arg> globalArgs = new ArrayList<>();
        List<Stage> stages = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Instruction.From from = null;
        List<Instruction> body = new ArrayList<>();
        for (RawInstruction raw : lexed.instructions()) {
            Instruction instruction;
            try {
                instruction = parser.parse(raw);
            } catch (InvalidInstructionException e) {
                throw new DockerfileException(fileName, raw.line(), raw.keyword(), e.getMessage());
            }
            if (instruction instanceof Instruction.From next) {
                if (from != null) {
                    stages.add(new Stage(stages.size(), from.name(), from, body));
                    body = new ArrayList<>();
                }
                if (!next.name().isEmpty() && !names.add(next.name())) {
                    throw new DockerfileException(
                            fileName, raw.line(), "FROM", "duplicate stage name \"" + next.name() + "\"");
                }
                from = next;
            } else if (from != null) {
                body.add(instruction);
            } else if (instruction instanceof Instruction.Arg arg) {
                globalArgs.add(arg);
            } else {
                throw new DockerfileException(
                        fileName,
                        raw.line(),
                        raw.keyword(),
                        "no build stage in current context (FROM must come first)");
            }
        }
        if (from == null) {
            throw new DockerfileException(fileName, 0, "", "the Dockerfile has no FROM");
        }
        stages.add(new Stage(stages.size(), from.name(), from, body));
        return new Dockerfile(fileName, lexed.escape(), globalArgs, stages);
    }
}
