package dev.berth.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testkit.Privileges;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** run -it, exec -it and attach driven through a real pseudo-terminal, typed at and resized as a person would. */
class BerthTerminalTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String PROMPT = "# ";
    private static CliTestBed bed;

    @BeforeAll
    static void start() throws Exception {
        Privileges.requireRoot();
        Privileges.require(java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/python3")), "python3");
        bed = CliTestBed.start();
        CliResult pull = bed.berth("pull", bed.busybox());
        assertThat(pull.exitCode()).as(pull.toString()).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void execItFollowsTheTerminalsSizeAndPassesTheExitStatusOn() throws Exception {
        assertThat(bed.berth("run", "-d", "--name", "typed", bed.busybox(), "sleep", "300")
                        .exitCode())
                .isZero();
        try (PtyDriver terminal = PtyDriver.start(bed, 33, 97, "exec", "-it", "typed", "sh")) {
            typeAtAShell(terminal);
            assertThat(terminal.exitCode(PATIENCE)).as(terminal.output()).isEqualTo(3);
        }
        assertThat(bed.berth("rm", "-f", "typed").exitCode()).isZero();
    }

    @Test
    void runItFollowsTheTerminalsSizeAndPassesTheExitStatusOn() throws Exception {
        try (PtyDriver terminal =
                PtyDriver.start(bed, 33, 97, "run", "-it", "--rm", "--name", "typedrun", bed.busybox(), "sh")) {
            typeAtAShell(terminal);
            assertThat(terminal.exitCode(PATIENCE)).as(terminal.output()).isEqualTo(3);
        }
        assertThat(bed.berth("ps", "-a", "-q", "--filter", "name=typedrun").stdout())
                .isEmpty();
    }

    @Test
    void ctrlPCtrlQDetachesARunLeavingItRunningAndAttachComesBack() throws Exception {
        try (PtyDriver terminal = PtyDriver.start(bed, 30, 90, "run", "-it", "--name", "away", bed.busybox(), "sh")) {
            terminal.expect(PROMPT, PATIENCE);
            terminal.type("echo first$((40+2))\r");
            terminal.expect("first42", PATIENCE);
            terminal.type("\u0010\u0011");
            assertThat(terminal.exitCode(PATIENCE)).as(terminal.output()).isZero();
        }
        assertThat(bed.berth("ps", "--filter", "name=away", "--format", "{{.Status}}")
                        .stdout())
                .startsWith("Up ");

        try (PtyDriver terminal = PtyDriver.start(bed, 30, 90, "attach", "away")) {
            // attach shows nothing until the shell answers; typed before berth made the terminal raw, keys are
            // echoed by the local terminal and dropped with its cooked input: Enter until a prompt comes back
            awaitPrompt(terminal);
            terminal.type("echo again$((40+3))\r");
            terminal.expect("again43", PATIENCE);
            terminal.type("exit 5\r");
            assertThat(terminal.exitCode(PATIENCE)).as(terminal.output()).isEqualTo(5);
        }
        assertThat(bed.berth("ps", "-a", "--filter", "name=away", "--format", "{{.Status}}")
                        .stdout())
                .startsWith("Exited (5)");
        assertThat(bed.berth("rm", "away").exitCode()).isZero();
    }

    /**
     * Asks the shell for its terminal's size, resizes the terminal and asks again, then exits 3. The size is asked
     * until it shows: the runtime applies the size the client sends just after the stream opens, so the shell's
     * first prompt may come before it.
     */
    private static void typeAtAShell(PtyDriver terminal) throws Exception {
        terminal.expect(PROMPT, PATIENCE);
        awaitSize(terminal, "33 97");
        terminal.resize(50, 120);
        awaitSize(terminal, "50 120");
        terminal.type("exit 3\r");
    }

    private static void awaitPrompt(PtyDriver terminal) throws Exception {
        for (int attempt = 0; attempt < 40; attempt++) {
            terminal.type("\r");
            if (terminal.sees(PROMPT, Duration.ofMillis(500))) {
                return;
            }
        }
        throw new AssertionError("the shell never prompted:\n" + terminal.output());
    }

    private static void awaitSize(PtyDriver terminal, String size) throws Exception {
        for (int attempt = 0; attempt < 20; attempt++) {
            terminal.type("stty size\r");
            if (terminal.sees("\n" + size + "\r?\n", Duration.ofMillis(500))) {
                return;
            }
        }
        throw new AssertionError("the shell never saw the size " + size + ":\n" + terminal.output());
    }
}
