package dev.berth.operator.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OperatorVersionTest {

    @Test
    void versionFlagPrintsTheProjectVersionWithoutConnecting() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            OperatorMain.main(new String[] {"--version"});
        } finally {
            System.setOut(original);
        }

        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("berth-operator " + System.getProperty("berth.project.version") + System.lineSeparator());
    }
}
