package dev.berth.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testkit.cri.BerthdProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LauncherFlagsTest {

    /** Restart, fault and benchmark tests start berthd with these flags; they must be the ones a node runs. */
    @Test
    void launcherStartsBerthdWithTheFlagsTheTestsUse() throws Exception {
        // surefire runs in cri-runtime/berthd; the launcher is at the repository's root
        String launcher = Files.readString(Path.of("../../berth"));
        String daemonCommand =
                launcher.substring(launcher.indexOf("daemon)"), launcher.indexOf("-jar \"$jar\" \"$@\""));

        for (String flag : BerthdProcess.LAUNCHER_JVM_FLAGS) {
            assertThat(daemonCommand).as("./berth daemon's java command").contains(" " + flag);
        }
    }
}
