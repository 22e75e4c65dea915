package dev.berth.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testkit.Privileges;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** berth pull through berthd's berth.v1 progress stream, its output piped. */
class BerthPullTest {

    private static CliTestBed bed;

    @BeforeAll
    static void start() throws Exception {
        Privileges.requireRoot();
        bed = CliTestBed.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void pipedPullPrintsAPlainLinePerLayerStateEndingInPullCompleteAndNoEscapes() throws Exception {
        CliResult pull = bed.berth("pull", bed.busybox());

        assertThat(pull.exitCode()).as(pull.toString()).isZero();
        List<String> lines = pull.stdout().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("1: Pulling from " + bed.registry() + "/cli/busybox");
        assertThat(lines).anyMatch(line -> line.matches("[0-9a-f]{12}: Pull complete"));
        assertThat(lines).noneMatch(line -> line.matches("[0-9a-f]{12}: Downloading.*\\d.*"));
        assertThat(lines).anyMatch(line -> line.matches("Digest: sha256:[0-9a-f]{64}"));
        assertThat(lines).contains("Status: Downloaded newer image for " + bed.busybox());
        assertThat(pull.stdout()).doesNotContain("\u001b[");

        CliResult again = bed.berth("pull", bed.busybox());
        assertThat(again.stdout().lines())
                .anyMatch(line -> line.matches("[0-9a-f]{12}: Already exists"))
                .contains("Status: Image is up to date for " + bed.busybox());
    }

    @Test
    void pullOfAnImageTheRegistryLacksFailsNamingIt() throws Exception {
        CliResult pull = bed.berth("pull", bed.registry() + "/cli/nothing:1");

        assertThat(pull.exitCode()).isNotZero();
        assertThat(pull.stderr()).contains("image not found: " + bed.registry() + "/cli/nothing:1");
    }
}
