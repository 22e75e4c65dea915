package dev.berth.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testkit.Privileges;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** berth exec -u, -w and -e as docker's: through berthd's berth.v1 Exec, with no sh or env of the image's needed. */
class BerthExecOptionsTest {

    private static CliTestBed bed;

    @BeforeAll
    static void start() throws Exception {
        Privileges.requireRoot();
        bed = CliTestBed.start();
        CliResult pull = bed.berth("pull", bed.busybox());
        assertThat(pull.exitCode()).as(pull.toString()).isZero();
        CliResult run = bed.berth("run", "-d", "--name", "web", "-e", "WHO=berth", bed.busybox(), "sleep", "300");
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        if (bed != null) {
            try {
                bed.berth("rm", "-f", "web");
            } finally {
                bed.close();
            }
        }
    }

    @Test
    void execAsAUserByNumberOrName() throws Exception {
        CliResult numeric = bed.berth("exec", "-u", "65534", "web", "id", "-u");
        CliResult named = bed.berth("exec", "-u", "nobody:root", "web", "sh", "-c", "id -u; id -g");
        CliResult root = bed.berth("exec", "web", "id", "-u");

        assertThat(numeric.exitCode()).as(numeric.toString()).isZero();
        assertThat(numeric.stdout()).isEqualTo("65534\n");
        assertThat(named.stdout()).as(named.toString()).isEqualTo("65534\n0\n");
        assertThat(root.stdout()).isEqualTo("0\n");
    }

    @Test
    void execWithAWorkdirAndVariablesKeepsTheContainersOwn() throws Exception {
        CliResult pwd = bed.berth("exec", "-w", "/tmp", "web", "pwd");
        CliResult env = bed.berth("exec", "-e", "A=1", "web", "sh", "-c", "echo $A $WHO");

        assertThat(pwd.exitCode()).as(pwd.toString()).isZero();
        assertThat(pwd.stdout()).isEqualTo("/tmp\n");
        assertThat(env.stdout()).as(env.toString()).isEqualTo("1 berth\n");
    }

    @Test
    void theCommandItselfRunsAsArgvZeroWithoutAShellAround() throws Exception {
        CliResult ps = bed.berth("exec", "-w", "/", "-e", "A=1", "web", "cat", "/proc/self/cmdline");

        assertThat(ps.exitCode()).as(ps.toString()).isZero();
        assertThat(ps.stdout()).isEqualTo("cat\0/proc/self/cmdline\0");
    }

    @Test
    void unknownUserAndMissingWorkdirFailAsDockersExec() throws Exception {
        CliResult user = bed.berth("exec", "-u", "bob", "web", "true");
        CliResult dir = bed.berth("exec", "-w", "/no/such/dir", "web", "pwd");

        assertThat(user.exitCode()).as(user.toString()).isEqualTo(125);
        assertThat(user.stderr()).contains("unable to find user bob: no matching entries in passwd file");
        // docker's daemon makes a start failure saying "no such file or directory" 127 as well
        assertThat(dir.exitCode()).as(dir.toString()).isEqualTo(127);
        assertThat(dir.stderr()).contains("/no/such/dir").contains("no such file or directory");
    }
}
