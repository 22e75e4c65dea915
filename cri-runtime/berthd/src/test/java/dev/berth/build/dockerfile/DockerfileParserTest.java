package dev.berth.build.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DockerfileParserTest {

    private static Dockerfile parse(String text) throws DockerfileException {
        return Dockerfile.parse("Dockerfile", text);
    }

    /** The instructions of the only stage, after its FROM. */
    private static List<Instruction> body(String text) throws DockerfileException {
        return parse("FROM scratch\n" + text).stages().get(0).instructions();
    }

    private static Instruction only(String text) throws DockerfileException {
        List<Instruction> body = body(text);
        assertThat(body).hasSize(1);
        return body.get(0);
    }

    private static DockerfileException failure(String text) {
        try {
            parse(text);
        } catch (DockerfileException e) {
            return e;
        }
        throw new AssertionError("parsed without error: " + text);
    }

    @Test
    void instructionsAreCaseInsensitiveAndKeepTheirLineNumbers() throws Exception {
        Dockerfile dockerfile = parse("from alpine\n\n# comment\nrun echo hi\nCmd [\"sh\"]\n");

        Stage stage = dockerfile.stages().get(0);
        assertThat(stage.from()).isEqualTo(new Instruction.From(1, "alpine", "", ""));
        assertThat(stage.instructions())
                .containsExactly(
                        new Instruction.Run(4, new Command.Shell("echo hi"), "default", List.of()),
                        new Instruction.Cmd(5, new Command.Exec(List.of("sh"))));
    }

    @Test
    void fromTakesPlatformAndAStageNameWhichIsLowerCased() throws Exception {
        Dockerfile dockerfile = parse("FROM --platform=$BUILDPLATFORM golang:1.22 AS Builder\n");

        assertThat(dockerfile.stages().get(0).from())
                .isEqualTo(new Instruction.From(1, "golang:1.22", "builder", "$BUILDPLATFORM"));
        assertThat(dockerfile.stages().get(0).name()).isEqualTo("builder");
    }

    @Test
    void fromRejectsTwoArgumentsAndBadStageNames() {
        assertThat(failure("FROM a b").getMessage())
                .isEqualTo("Dockerfile:1: FROM: FROM requires either one or three arguments (image [AS name])");
        assertThat(failure("FROM a AS 1x").reason()).contains("invalid name for build stage");
        assertThat(failure("FROM a AS x\nFROM b AS X").getMessage())
                .isEqualTo("Dockerfile:2: FROM: duplicate stage name \"x\"");
    }

    @Test
    void emptyDockerfileAndOneWithoutFromAreRefused() {
        assertThat(failure("# only a comment\n\n").getMessage())
                .isEqualTo("Dockerfile: the Dockerfile has no instructions");
        assertThat(failure("ARG A=1\n").getMessage()).isEqualTo("Dockerfile: the Dockerfile has no FROM");
        assertThat(failure("RUN true\nFROM a").getMessage()).startsWith("Dockerfile:1: RUN: no build stage");
    }

    @Test
    void unknownInstructionIsNamedInTheError() {
        DockerfileException e = failure("FROM a\nFROB x");

        assertThat(e.line()).isEqualTo(2);
        assertThat(e.instruction()).isEqualTo("FROB");
        assertThat(e.getMessage()).isEqualTo("Dockerfile:2: FROB: unknown instruction");
    }

    @Test
    void argsBeforeTheFirstFromAreGlobal() throws Exception {
        Dockerfile dockerfile = parse("ARG A=1 B\nARG C=\"x y\"\nFROM a\nARG A\n");

        assertThat(dockerfile.globalArgs())
                .containsExactly(
                        new Instruction.Arg(1, List.of(new ArgDefinition("A", "1"), new ArgDefinition("B", null))),
                        new Instruction.Arg(2, List.of(new ArgDefinition("C", "\"x y\""))));
        assertThat(dockerfile.stages().get(0).instructions())
                .containsExactly(new Instruction.Arg(4, List.of(new ArgDefinition("A", null))));
    }

    @Test
    void continuationLinesJoinWithoutAddingAndSkipCommentsAndEmptyLines() throws Exception {
        Instruction run = only("RUN echo a \\\n# a comment in between\n\n   b \\  \n  c\n");

        assertThat(run).isEqualTo(new Instruction.Run(2, new Command.Shell("echo a    b   c"), "default", List.of()));
    }

    @Test
    void continuationAtTheEndOfTheFileEndsTheInstruction() throws Exception {
        assertThat(only("RUN echo a \\\n"))
                .isEqualTo(new Instruction.Run(2, new Command.Shell("echo a"), "default", List.of()));
    }

    @Test
    void escapeDirectiveMakesBacktickTheContinuationAndLeavesBackslashAlone() throws Exception {
        Dockerfile dockerfile = parse("# escape=`\nFROM windows\nRUN dir c:\\ `\n  /s\n");

        assertThat(dockerfile.escape()).isEqualTo('`');
        assertThat(dockerfile.stages().get(0).instructions())
                .containsExactly(new Instruction.Run(3, new Command.Shell("dir c:\\   /s"), "default", List.of()));
    }

    @Test
    void directivesAreOnlyReadAtTheTop() throws Exception {
        assertThat(parse("# syntax=docker/dockerfile:1\n# check=skip=all\n# escape=`\nFROM a")
                        .escape())
                .isEqualTo('`');
        assertThat(parse("\n# escape=`\nFROM a").escape()).isEqualTo('\\');
        assertThat(parse("# unknown=x\n# escape=`\nFROM a").escape()).isEqualTo('\\');
        assertThat(parse("FROM a\n# escape=`\n").escape()).isEqualTo('\\');
    }

    @Test
    void badOrRepeatedDirectivesAreRefused() {
        assertThat(failure("# escape=x\nFROM a").getMessage())
                .isEqualTo("Dockerfile:1: invalid escape token 'x' does not match ` or \\");
        assertThat(failure("# escape=`\n# ESCAPE=\\\nFROM a").reason())
                .isEqualTo("only one escape parser directive can be used");
    }

    @Test
    void runParsesNetworkAndRefusesMountAndUnknownFlags() throws Exception {
        assertThat(only("RUN --network=none apk add x"))
                .isEqualTo(new Instruction.Run(2, new Command.Shell("apk add x"), "none", List.of()));
        assertThat(failure("FROM a\nRUN --mount=type=cache,target=/root ls").getMessage())
                .isEqualTo("Dockerfile:2: RUN: --mount is not supported yet");
        assertThat(failure("FROM a\nRUN --network=bridge ls").reason()).startsWith("unsupported network mode bridge");
        assertThat(failure("FROM a\nRUN --frob ls").reason()).isEqualTo("unknown flag: --frob");
        assertThat(failure("FROM a\nRUN").reason()).isEqualTo("RUN requires at least one argument");
    }

    @Test
    void jsonFormIsExecAndInvalidJsonFallsBackToShellForm() throws Exception {
        assertThat(only("ENTRYPOINT [\"/bin/app\", \"--flag=\\\"q\\\"\"]"))
                .isEqualTo(new Instruction.Entrypoint(2, new Command.Exec(List.of("/bin/app", "--flag=\"q\""))));
        assertThat(only("CMD [\"a\", 1]")).isEqualTo(new Instruction.Cmd(2, new Command.Shell("[\"a\", 1]")));
        assertThat(only("CMD [ 'single' ]")).isEqualTo(new Instruction.Cmd(2, new Command.Shell("[ 'single' ]")));
        assertThat(only("CMD []")).isEqualTo(new Instruction.Cmd(2, new Command.Exec(List.of())));
    }

    @Test
    void heredocRunKeepsTheBodyAndRunsItAsTheScript() throws Exception {
        Instruction.Run run = (Instruction.Run) only("RUN <<EOF\necho one\necho $HOME\nEOF\n");

        assertThat(run.heredocs()).containsExactly(new Heredoc("EOF", "echo one\necho $HOME\n", true, false));
        assertThat(run.shellScript()).isEqualTo("echo one\necho $HOME\n");
    }

    @Test
    void heredocWithDashStripsLeadingTabsAndQuotedDelimiterTurnsOffExpansion() throws Exception {
        Instruction.Run run = (Instruction.Run) only("RUN cat <<-'END' > /x\n\tline one\n\t\tline two\n\tEND\n");

        assertThat(run.heredocs()).containsExactly(new Heredoc("END", "line one\nline two\n", false, true));
        assertThat(run.shellScript()).isEqualTo("cat <<-'END' > /x\nline one\nline two\nEND");
    }

    @Test
    void severalHeredocsOnOneLineAreReadInOrder() throws Exception {
        List<Instruction> body = body("RUN <<A cat - /dev/fd/3 3<<\"B\"\na body\nA\nb body\nB\nUSER x\n");

        Instruction.Run run = (Instruction.Run) body.get(0);
        assertThat(run.heredocs())
                .containsExactly(new Heredoc("A", "a body\n", true, false), new Heredoc("B", "b body\n", false, false));
        assertThat(body.get(1)).isEqualTo(new Instruction.User(7, "x"));
    }

    @Test
    void unterminatedHeredocIsAnError() {
        assertThat(failure("FROM a\nRUN <<EOF\nno end\n").getMessage())
                .isEqualTo("Dockerfile:2: RUN: unterminated heredoc EOF");
    }

    @Test
    void copyHeredocIsAnInlineSource() throws Exception {
        Instruction.Copy copy =
                (Instruction.Copy) only("COPY --chmod=0755 <<EOF /usr/bin/hello\n#!/bin/sh\necho hi\nEOF\n");

        assertThat(copy.sources()).isEmpty();
        assertThat(copy.heredocs()).containsExactly(new Heredoc("EOF", "#!/bin/sh\necho hi\n", true, false));
        assertThat(copy.destination()).isEqualTo("/usr/bin/hello");
        assertThat(copy.chmod()).isEqualTo("0755");
    }

    @Test
    void copyTakesItsFlagsAndJsonPathsWithSpaces() throws Exception {
        assertThat(only("COPY --from=build --chown=app:app --link a b /dst/"))
                .isEqualTo(
                        new Instruction.Copy(2, false, List.of("a", "b"), "/dst/", "build", "app:app", "", List.of()));
        assertThat(only("COPY [\"my file\", \"/a dir/\"]"))
                .isEqualTo(new Instruction.Copy(2, false, List.of("my file"), "/a dir/", "", "", "", List.of()));
        assertThat(only("COPY --chown=\"1000:1000\" x /y"))
                .isEqualTo(new Instruction.Copy(2, false, List.of("x"), "/y", "", "1000:1000", "", List.of()));
    }

    @Test
    void copyFlagErrorsNameTheFlag() {
        assertThat(failure("FROM a\n\n\n\n\n\nCOPY --chown x /y").getMessage())
                .isEqualTo("Dockerfile:7: COPY: --chown needs a value");
        assertThat(failure("FROM a\nCOPY onlyone").reason()).startsWith("COPY requires at least two arguments");
        assertThat(failure("FROM a\nADD --from=x a b").reason()).isEqualTo("unknown flag: --from");
        assertThat(failure("FROM a\nCOPY --link=maybe a b").reason())
                .isEqualTo("--link takes true or false, not maybe");
    }

    @Test
    void addOfARemoteUrlIsRefused() {
        assertThat(failure("FROM a\nADD https://example.com/x.tgz /x").getMessage())
                .isEqualTo("Dockerfile:2: ADD: remote URLs are not supported: https://example.com/x.tgz");
        assertThat(failure("FROM a\nADD git@github.com:a/b.git /src").reason()).startsWith("remote URLs");
    }

    @Test
    void addKeepsLocalSources() throws Exception {
        assertThat(only("ADD --chmod=644 app.tar.gz /opt/"))
                .isEqualTo(new Instruction.Copy(2, true, List.of("app.tar.gz"), "/opt/", "", "", "644", List.of()));
    }

    @Test
    void envAndLabelTakePairsWithQuotesKeptForExpansion() throws Exception {
        assertThat(only("ENV A=1 B=\"two words\" C=three\\ words"))
                .isEqualTo(new Instruction.Env(
                        2,
                        List.of(
                                new KeyValue("A", "1"),
                                new KeyValue("B", "\"two words\""),
                                new KeyValue("C", "three\\ words"))));
        assertThat(only("LABEL \"com.example.key\"=v version=1.0"))
                .isEqualTo(new Instruction.Label(
                        2, List.of(new KeyValue("\"com.example.key\"", "v"), new KeyValue("version", "1.0"))));
    }

    @Test
    void legacyEnvAndLabelTakeTheRestOfTheLineAsTheValue() throws Exception {
        assertThat(only("ENV PATH /usr/local/bin:$PATH  and more"))
                .isEqualTo(new Instruction.Env(2, List.of(new KeyValue("PATH", "/usr/local/bin:$PATH  and more"))));
        assertThat(only("LABEL description some words"))
                .isEqualTo(new Instruction.Label(2, List.of(new KeyValue("description", "some words"))));
        assertThat(failure("FROM a\nENV ONLY").reason()).isEqualTo("ENV must have two arguments");
    }

    @Test
    void envErrorsForMissingEqualsAndBlankNames() {
        assertThat(failure("FROM a\nENV A=1 B").reason()).startsWith("can't find = in \"B\"");
        assertThat(failure("FROM a\nLABEL =x").reason()).isEqualTo("LABEL names can not be blank");
        assertThat(failure("FROM a\nENV").reason()).isEqualTo("ENV requires at least one argument");
    }

    @Test
    void exposeVolumeUserWorkdirStopsignalShellAndMaintainer() throws Exception {
        assertThat(
                        body(
                                "EXPOSE 80 53/udp\nVOLUME [\"/data\", \"/logs\"]\nVOLUME /a /b\nUSER app:app\n"
                                        + "WORKDIR /srv/my app\nSTOPSIGNAL SIGTERM\nSHELL [\"/bin/bash\", \"-c\"]\nMAINTAINER me <me@x>\n"))
                .containsExactly(
                        new Instruction.Expose(2, List.of("80", "53/udp")),
                        new Instruction.Volume(3, List.of("/data", "/logs")),
                        new Instruction.Volume(4, List.of("/a", "/b")),
                        new Instruction.User(5, "app:app"),
                        new Instruction.Workdir(6, "/srv/my app"),
                        new Instruction.StopSignal(7, "SIGTERM"),
                        new Instruction.Shell(8, List.of("/bin/bash", "-c")),
                        new Instruction.Maintainer(9, "me <me@x>"));
    }

    @Test
    void shellNeedsJsonAndUserOneArgument() {
        assertThat(failure("FROM a\nSHELL /bin/bash -c").reason())
                .isEqualTo("SHELL requires the arguments to be in JSON form");
        assertThat(failure("FROM a\nUSER a b").reason()).isEqualTo("USER requires exactly one argument");
        assertThat(failure("FROM a\nVOLUME [\"\"]").reason()).isEqualTo("VOLUME specified can not be an empty string");
        assertThat(failure("FROM a\nEXPOSE").reason()).isEqualTo("EXPOSE requires at least one argument");
    }

    @Test
    void healthcheckTakesNoneOrCmdWithDurationsAndRetries() throws Exception {
        assertThat(only("HEALTHCHECK NONE"))
                .isEqualTo(new Instruction.Healthcheck(
                        2, true, null, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0));
        assertThat(only("HEALTHCHECK --interval=1m30s --timeout=5s --start-period=0.5s --start-interval=100ms"
                        + " --retries=3 CMD curl -f http://localhost/"))
                .isEqualTo(new Instruction.Healthcheck(
                        2,
                        false,
                        new Command.Shell("curl -f http://localhost/"),
                        Duration.ofSeconds(90),
                        Duration.ofSeconds(5),
                        Duration.ofMillis(500),
                        Duration.ofMillis(100),
                        3));
        assertThat(((Instruction.Healthcheck) only("HEALTHCHECK CMD [\"/bin/check\"]")).test())
                .isEqualTo(new Command.Exec(List.of("/bin/check")));
    }

    @Test
    void healthcheckErrors() {
        assertThat(failure("FROM a\nHEALTHCHECK --interval=10 CMD x").reason())
                .isEqualTo("--interval: invalid duration 10");
        assertThat(failure("FROM a\nHEALTHCHECK --timeout=1us CMD x").reason())
                .isEqualTo("--timeout cannot be less than 1ms");
        assertThat(failure("FROM a\nHEALTHCHECK --retries=-1 CMD x").reason())
                .isEqualTo("--retries cannot be negative");
        assertThat(failure("FROM a\nHEALTHCHECK NONE x").reason()).isEqualTo("HEALTHCHECK NONE takes no arguments");
        assertThat(failure("FROM a\nHEALTHCHECK RUN x").reason()).startsWith("unknown type \"RUN\"");
        assertThat(failure("FROM a\nHEALTHCHECK CMD").reason()).isEqualTo("missing command after HEALTHCHECK CMD");
    }

    @Test
    void onbuildRecordsItsParsedTrigger() throws Exception {
        assertThat(only("ONBUILD copy . /app"))
                .isEqualTo(new Instruction.Onbuild(
                        2, "copy . /app", new Instruction.Copy(2, false, List.of("."), "/app", "", "", "", List.of())));
        assertThat(failure("FROM a\nONBUILD FROM b").reason()).isEqualTo("FROM isn't allowed as an ONBUILD trigger");
        assertThat(failure("FROM a\nONBUILD COPY x").reason()).startsWith("COPY: COPY requires at least two");
    }

    @Test
    void byteOrderMarkAndCarriageReturnsAreIgnored() throws Exception {
        assertThat(parse("\uFEFFFROM a\r\nUSER b\r\n").stages().get(0).instructions())
                .containsExactly(new Instruction.User(2, "b"));
    }
}
