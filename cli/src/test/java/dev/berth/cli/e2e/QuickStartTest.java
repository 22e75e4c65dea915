package dev.berth.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testkit.Privileges;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class QuickStartTest {

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
    void pullThenImagesListsTheImage() throws Exception {
        CliResult pull = bed.berth("pull", bed.busybox());
        System.out.println(pull);
        assertThat(pull.exitCode()).as(pull.toString()).isZero();
        CliResult images = bed.berth("images");
        System.out.println(images);
        CliResult run = bed.berth("run", "--rm", bed.busybox(), "sh", "-c", "echo hi; exit 3");
        System.out.println(run);
        CliResult ps = bed.berth("ps", "-a");
        System.out.println(ps);
    }
}
