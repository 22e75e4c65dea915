package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    private static final List<String> ENTRYPOINT = List.of("/entry");
    private static final List<String> CMD = List.of("--default");

    @Test
    void neitherCommandNorArgsKeepsEntrypointAndCmd() throws Exception {
        assertThat(CommandLine.resolve(List.of(), List.of(), ENTRYPOINT, CMD)).containsExactly("/entry", "--default");
    }

    @Test
    void commandReplacesEntrypointAndDropsImageCmd() throws Exception {
        assertThat(CommandLine.resolve(List.of("/bin/sh"), List.of(), ENTRYPOINT, CMD))
                .containsExactly("/bin/sh");
    }

    @Test
    void argsAloneReplaceCmdAndKeepEntrypoint() throws Exception {
        assertThat(CommandLine.resolve(List.of(), List.of("-x"), ENTRYPOINT, CMD))
                .containsExactly("/entry", "-x");
    }

    @Test
    void commandAndArgsReplaceBoth() throws Exception {
        assertThat(CommandLine.resolve(List.of("/bin/sh"), List.of("-c", "true"), ENTRYPOINT, CMD))
                .containsExactly("/bin/sh", "-c", "true");
    }

    @Test
    void imageWithOnlyCmdRunsCmd() throws Exception {
        assertThat(CommandLine.resolve(List.of(), List.of(), List.of(), List.of("/bin/app")))
                .containsExactly("/bin/app");
    }

    @Test
    void argsWithoutAnyEntrypointBecomeTheCommand() throws Exception {
        assertThat(CommandLine.resolve(List.of(), List.of("/bin/echo", "hi"), List.of(), CMD))
                .containsExactly("/bin/echo", "hi");
    }

    @Test
    void nothingToRunIsRejected() {
        assertThatThrownBy(() -> CommandLine.resolve(List.of(), List.of(), List.of(), List.of()))
                .isInstanceOf(InvalidContainerConfigException.class)
                .hasMessageContaining("no command specified");
    }
}
