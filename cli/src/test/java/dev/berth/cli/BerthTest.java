package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

class BerthTest {

    @Test
    void eachCommandIsListedUnderTheNameItsAnnotationGives() {
        Berth.COMMANDS.forEach((name, command) -> assertThat(
                        command.getAnnotation(Command.class).name())
                .as(command.getName())
                .isEqualTo(name));
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
