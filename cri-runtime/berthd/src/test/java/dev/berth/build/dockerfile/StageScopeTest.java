package dev.berth.build.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StageScopeTest {

    private static final Platform AMD64 = new Platform("linux", "amd64", "");
    private static final Platform ARM64 = new Platform("linux", "arm64", "v8");

    /** Builds the only (or last) stage over {@code baseEnv} and returns its resolved instructions. */
    private static List<Instruction> resolve(String text, Map<String, String> buildArgs, Map<String, String> baseEnv)
            throws DockerfileException {
        return resolveWith(text, buildArgs, baseEnv).instructions;
    }

    private record Resolved(List<Instruction> instructions, StageScope scope) {}

    private static Resolved resolveWith(String text, Map<String, String> buildArgs, Map<String, String> baseEnv)
            throws DockerfileException {
        Dockerfile dockerfile = Dockerfile.parse("Dockerfile", text);
        BuildPlan plan = BuildPlan.of(dockerfile, new BuildOptions(buildArgs, "", AMD64, ARM64));
        PlannedStage last = plan.stages().get(plan.stages().size() - 1);
        StageScope scope = plan.scope(baseEnv);
        List<Instruction> resolved = new ArrayList<>();
        for (Instruction instruction : last.stage().instructions()) {
            resolved.add(scope.resolve(instruction));
        }
        return new Resolved(resolved, scope);
    }

    @Test
    void envIsExpandedAndEachPairSeesOnlyTheVariablesFromBeforeTheLine() throws Exception {
        Resolved resolved =
                resolveWith("FROM a\nENV abc=hello\nENV abc=bye def=$abc\nENV ghi=$abc\n", Map.of(), Map.of());

        assertThat(resolved.scope().environment())
                .containsExactly(Map.entry("abc", "bye"), Map.entry("def", "hello"), Map.entry("ghi", "bye"));
    }

    @Test
    void baseImageEnvironmentIsVisibleAndEnvOverridesArg() throws Exception {
        List<Instruction> resolved = resolve(
                "FROM a\nARG HOME=/arg\nWORKDIR $HOME/app\nARG V=1\nENV V=2\nUSER ${V}\n",
                Map.of(),
                Map.of("HOME", "/root"));

        assertThat(resolved.get(1)).isEqualTo(new Instruction.Workdir(3, "/root/app"));
        assertThat(resolved.get(4)).isEqualTo(new Instruction.User(6, "2"));
    }

    @Test
    void globalArgsAreOnlyVisibleInAStageWhenRedeclared() throws Exception {
        String text =
                "ARG VERSION=1.2\nFROM alpine:$VERSION\nLABEL before=\"$VERSION\"\nARG VERSION\nLABEL after=$VERSION\n";

        List<Instruction> resolved = resolve(text, Map.of(), Map.of());

        assertThat(resolved.get(0)).isEqualTo(new Instruction.Label(3, List.of(new KeyValue("before", ""))));
        assertThat(resolved.get(2)).isEqualTo(new Instruction.Label(5, List.of(new KeyValue("after", "1.2"))));
    }

    @Test
    void buildArgsOverrideDefaultsAndUndeclaredOnesAreNotVisible() throws Exception {
        List<Instruction> resolved = resolve(
                "FROM a\nARG A=default B=b\nLABEL a=$A b=$B c=$C\n", Map.of("A", "given", "C", "hidden"), Map.of());

        assertThat(resolved.get(1))
                .isEqualTo(new Instruction.Label(
                        3, List.of(new KeyValue("a", "given"), new KeyValue("b", "b"), new KeyValue("c", ""))));
    }

    @Test
    void platformArgsComeFromTheCallerAndNeedAnArgInAStage() throws Exception {
        List<Instruction> resolved = resolve(
                "FROM a\nLABEL x=$TARGETARCH\nARG TARGETARCH TARGETPLATFORM BUILDARCH\n"
                        + "LABEL t=$TARGETARCH p=$TARGETPLATFORM b=$BUILDARCH\n",
                Map.of(),
                Map.of());

        assertThat(resolved.get(0)).isEqualTo(new Instruction.Label(2, List.of(new KeyValue("x", ""))));
        assertThat(resolved.get(2))
                .isEqualTo(new Instruction.Label(
                        4,
                        List.of(
                                new KeyValue("t", "arm64"),
                                new KeyValue("p", "linux/arm64/v8"),
                                new KeyValue("b", "amd64"))));
    }

    @Test
    void runCmdEntrypointAndOnbuildAreNotExpanded() throws Exception {
        List<Instruction> resolved = resolve(
                "FROM a\nENV X=1\nRUN echo $X\nCMD echo $X\nENTRYPOINT [\"$X\"]\nONBUILD RUN $X\n", Map.of(), Map.of());

        assertThat(resolved.get(1))
                .isEqualTo(new Instruction.Run(3, new Command.Shell("echo $X"), "default", List.of()));
        assertThat(resolved.get(2)).isEqualTo(new Instruction.Cmd(4, new Command.Shell("echo $X")));
        assertThat(resolved.get(3)).isEqualTo(new Instruction.Entrypoint(5, new Command.Exec(List.of("$X"))));
        assertThat(((Instruction.Onbuild) resolved.get(4)).expression()).isEqualTo("RUN $X");
    }

    @Test
    void runEnvironmentHasEnvThenDeclaredArgsThenProxyBuildArgs() throws Exception {
        Resolved resolved = resolveWith(
                "FROM a\nARG A=1 UNSET\nENV A=env B=2\n",
                Map.of("HTTP_PROXY", "http://proxy:3128", "OTHER", "x"),
                Map.of("PATH", "/bin"));

        assertThat(resolved.scope().runEnvironment())
                .containsExactly("PATH=/bin", "A=env", "B=2", "HTTP_PROXY=http://proxy:3128");
    }

    @Test
    void copyExpandsPathsFlagsAndUnquotedHeredocBodies() throws Exception {
        List<Instruction> resolved = resolve(
                "FROM a\nARG SRC=app DEST=/opt U=1000\nCOPY --chown=$U:$U --chmod=0644 ${SRC}/ \"$DEST\"\n"
                        + "COPY <<EOF <<'RAW' /etc/\nname=\"$SRC\"\nEOF\nname=$SRC\nRAW\n",
                Map.of(),
                Map.of());

        assertThat(resolved.get(1))
                .isEqualTo(new Instruction.Copy(3, false, List.of("app/"), "/opt", "", "1000:1000", "0644", List.of()));
        assertThat(((Instruction.Copy) resolved.get(2)).heredocs())
                .containsExactly(
                        new Heredoc("EOF", "name=\"app\"\n", true, false),
                        new Heredoc("RAW", "name=$SRC\n", false, false));
    }

    @Test
    void addOfAUrlFromAVariableIsRefused() {
        assertThatThrownBy(() -> resolve("FROM a\nARG U=https://x.test/f\nADD $U /f\n", Map.of(), Map.of()))
                .isInstanceOf(DockerfileException.class)
                .hasMessage("Dockerfile:3: ADD: remote URLs are not supported: https://x.test/f");
    }

    @Test
    void badChmodIsRefusedAfterExpansion() {
        assertThatThrownBy(() -> resolve("FROM a\nCOPY --chmod=u+x a /b\n", Map.of(), Map.of()))
                .hasMessageStartingWith("Dockerfile:2: COPY: invalid --chmod u+x");
    }

    @Test
    void exposeExpandsSplitsAndNormalisesPorts() throws Exception {
        List<Instruction> resolved =
                resolve("FROM a\nARG PORTS=\"80 443/TCP\"\nEXPOSE $PORTS 53/udp 7000-7002\n", Map.of(), Map.of());

        assertThat(resolved.get(1))
                .isEqualTo(new Instruction.Expose(
                        3, List.of("80/tcp", "443/tcp", "53/udp", "7000/tcp", "7001/tcp", "7002/tcp")));
    }

    @Test
    void exposeRefusesMappingsAndUnknownProtocols() {
        assertThatThrownBy(() -> resolve("FROM a\nEXPOSE 80:80\n", Map.of(), Map.of()))
                .hasMessage("Dockerfile:2: EXPOSE: port mappings are not allowed in EXPOSE: 80:80");
        assertThatThrownBy(() -> resolve("FROM a\nEXPOSE 80/icmp\n", Map.of(), Map.of()))
                .hasMessageContaining("invalid protocol icmp");
        assertThatThrownBy(() -> resolve("FROM a\nEXPOSE 70000\n", Map.of(), Map.of()))
                .hasMessageContaining("invalid port 70000");
    }

    @Test
    void volumeUserStopsignalAndLabelsExpand() throws Exception {
        List<Instruction> resolved = resolve(
                "FROM a\nENV D=/data N=app S=SIGINT\nVOLUME [\"$D\", \"/logs\"]\nUSER $N:$N\nSTOPSIGNAL $S\n"
                        + "LABEL \"$N.key\"='$literal'\n",
                Map.of(),
                Map.of());

        assertThat(resolved.subList(1, 5))
                .containsExactly(
                        new Instruction.Volume(3, List.of("/data", "/logs")),
                        new Instruction.User(4, "app:app"),
                        new Instruction.StopSignal(5, "SIGINT"),
                        new Instruction.Label(6, List.of(new KeyValue("app.key", "$literal"))));
    }

    @Test
    void expansionErrorsCarryTheLocation() {
        assertThatThrownBy(() -> resolve("FROM a\n\nWORKDIR ${DIR:?set DIR}\n", Map.of(), Map.of()))
                .hasMessage("Dockerfile:3: WORKDIR: DIR: set DIR");
    }
}
