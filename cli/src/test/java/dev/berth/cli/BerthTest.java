package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BerthTest {

    @Test
    void eachCommandIsListedUnderTheNameItsModelGives() {
        Berth.COMMANDS.forEach(
                (name, command) -> assertThat(command.apply(new Berth()).name()).isEqualTo(name));
    }

    @Test
    void everyCommandShowsItsUsageOnHelpAndExitsZero() {
        for (String name : Berth.COMMANDS.keySet()) {
            StringWriter out = new StringWriter();
            CommandLine line = Berth.commandLine(new String[] {name, "--help"});
            line.setOut(new PrintWriter(out));
            assertThat(line.execute(name, "--help")).as(name).isZero();
            assertThat(out.toString()).as(name).startsWith("Usage: berth " + name);
        }
    }

    @Test
    void psAndRunTakeTheirFlagsAndArgumentsFromTheCommandLine() {
        CommandLine line = Berth.commandLine(new String[] {"run"});
        CommandLine.ParseResult parsed = line.parseArgs(
                "--endpoint",
                "unix:///x.sock",
                "run",
                "--rm",
                "-e",
                "A=1",
                "-e",
                "B=2",
                "--cpus",
                "1.5",
                "img",
                "sh",
                "-c",
                "exit 3");
        CommandLine.ParseResult run = parsed.subcommand();
        assertThat(run.matchedOptionValue("--rm", false)).isTrue();
        assertThat(run.matchedOptionValue("-e", List.<String>of())).containsExactly("A=1", "B=2");
        assertThat(run.matchedOptionValue("--cpus", 0.0)).isEqualTo(1.5);
        assertThat(run.matchedPositionalValue(0, "")).isEqualTo("img");
        assertThat(run.matchedPositionalValue(1, List.<String>of())).containsExactly("sh", "-c", "exit 3");
        assertThat(((Berth) line.getCommand()).endpoint().uri()).isEqualTo("unix:///x.sock");
    }

    @Test
    void theEndpointMayFollowTheCommandName() {
        CommandLine line = Berth.commandLine(new String[] {"ps"});
        line.parseArgs("ps", "-a", "--endpoint", "unix:///y.sock");
        assertThat(((Berth) line.getCommand()).endpoint().uri()).isEqualTo("unix:///y.sock");
    }

    @Test
    void aCommandMissingItsRequiredArgumentIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine line = Berth.commandLine(new String[] {"stop"});
        line.setErr(new PrintWriter(err));
        assertThat(line.execute("stop")).isEqualTo(Berth.OWN_FAILURE);
        assertThat(err.toString()).contains("Missing required parameter: 'CONTAINER'");
    }

    @Test
    void aValueOfTheWrongTypeIsAUsageErrorWithDockersExitCode() {
        StringWriter err = new StringWriter();
        CommandLine line = Berth.commandLine(new String[] {"run"});
        line.setErr(new PrintWriter(err));
        assertThat(line.execute("run", "--cpus", "many", "img")).isEqualTo(Berth.OWN_FAILURE);
        assertThat(err.toString()).contains("--cpus").contains("many");
    }

    @Test
    void theCommandNameIsTheFirstArgumentThatIsNoGlobalOption() {
        assertThat(Berth.commandName(new String[] {"ps", "-a"})).isEqualTo("ps");
        assertThat(Berth.commandName(new String[] {"--endpoint", "unix:///x.sock", "ps"}))
                .isEqualTo("ps");
        assertThat(Berth.commandName(new String[] {"--endpoint=unix:///x.sock", "images"}))
                .isEqualTo("images");
        assertThat(Berth.commandName(new String[] {"--help"})).isNull();
    }
}
