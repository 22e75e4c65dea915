package dev.berth.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testkit.Privileges;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI speaks only CRI: against containerd's CRI socket (--endpoint) pull, run, ps, logs and rm work too. */
class BerthOnContainerdTest {

    private static CliTestBed bed;
    private static ContainerdFixture containerd;

    @BeforeAll
    static void start() throws Exception {
        Privileges.requireRoot();
        Privileges.require(Files.isExecutable(Path.of("/usr/bin/containerd")), "containerd");
        bed = CliTestBed.start();
        String pause = bed.pushBusybox("cli/pause", "1", "sleep", "2147483647");
        containerd = ContainerdFixture.start(bed.registry(), pause);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (containerd != null) {
                containerd.close();
            }
        } finally {
            if (bed != null) {
                bed.close();
            }
        }
    }

    private static CliResult berth(String... args) throws Exception {
        String[] all = new String[args.length + 2];
        all[0] = "--endpoint";
        all[1] = containerd.endpoint();
        System.arraycopy(args, 0, all, 2, args.length);
        // BERTH_ENDPOINT names berthd: the flag wins
        return bed.berth(all);
    }

    @Test
    void pullRunPsLogsAndRmWorkAgainstContainerd() throws Exception {
        CliResult pull = berth("pull", bed.busybox());
        assertThat(pull.exitCode()).as(pull + containerd.log()).isZero();
        assertThat(berth("images", "--format", "{{.Repository}}:{{.Tag}}").lines())
                .contains(bed.busybox());

        CliResult run = berth(
                "run", "-d", "--name", "elsewhere", bed.busybox(), "sh", "-c", "echo hello from containerd; sleep 300");
        assertThat(run.exitCode()).as(run + containerd.log()).isZero();
        String id = run.stdout().strip();
        assertThat(containerd.pods()).anyMatch(pod -> pod.getId().equals(id));
        assertThat(bed.pods()).noneMatch(pod -> pod.getId().equals(id));

        CliResult ps = berth("ps");
        assertThat(ps.exitCode()).as(ps.toString()).isZero();
        assertThat(ps.lines())
                .anySatisfy(line -> assertThat(line)
                        .startsWith(id.substring(0, 12))
                        .contains(" Up ")
                        .endsWith("elsewhere"));

        long deadline = System.nanoTime() + 20_000_000_000L;
        CliResult logs = berth("logs", "elsewhere");
        while (!logs.stdout().contains("hello") && System.nanoTime() < deadline) {
            Thread.sleep(200);
            logs = berth("logs", "elsewhere");
        }
        assertThat(logs.stdout()).as(logs.toString()).isEqualTo("hello from containerd\n");

        CliResult rm = berth("rm", "-f", "elsewhere");
        assertThat(rm.exitCode()).as(rm.toString()).isZero();
        assertThat(containerd.pods()).noneMatch(pod -> pod.getId().equals(id));
        assertThat(berth("ps", "-a", "-q").stdout()).isEmpty();
    }

    @Test
    void anImageBerthdBuiltAndPushedIsPulledAndRunByContainerd(@TempDir Path context) throws Exception {
        Files.writeString(context.resolve("message.txt"), "built by berthd\n");
        Files.writeString(context.resolve("Dockerfile"), """
                FROM %s
                COPY message.txt /srv/
                RUN echo run by containerd >> /srv/message.txt && rm /bin/vi && mkdir -p /srv/gone && rm -r /srv/gone
                CMD ["sh", "-c", "cat /srv/message.txt; test ! -e /bin/vi && echo whiteout kept"]
                """.formatted(bed.busybox()));
        String name = bed.registry() + "/cli/built-for-containerd:"
                + ThreadLocalRandom.current().nextInt(1000, 9999);

        // built and pushed by berthd (the bed's endpoint), then pulled and run by containerd's CRI
        CliResult build = bed.berth("build", "--push", "-q", "-t", name, context.toString());
        assertThat(build.exitCode()).as(build.toString()).isZero();
        CliResult pull = berth("pull", name);
        assertThat(pull.exitCode()).as(pull + containerd.log()).isZero();
        CliResult run = berth("run", "--rm", name);

        assertThat(run.exitCode()).as(run + containerd.log()).isZero();
        assertThat(run.stdout()).isEqualTo("built by berthd\nrun by containerd\nwhiteout kept\n");
        assertThat(berth("rmi", name).exitCode()).isZero();
    }

    @Test
    void execWorkdirAndEnvGoThroughTheImagesShellAndUserIsRefusedWithTheReason() throws Exception {
        assertThat(berth("pull", bed.busybox()).exitCode()).isZero();
        CliResult run = berth("run", "-d", "--name", "execs", bed.busybox(), "sleep", "300");
        assertThat(run.exitCode()).as(run + containerd.log()).isZero();
        try {
            CliResult pwd = berth("exec", "-w", "/tmp", "-e", "A=1", "execs", "sh", "-c", "pwd; echo $A");
            CliResult user = berth("exec", "-u", "65534", "execs", "id", "-u");

            assertThat(pwd.exitCode()).as(pwd + containerd.log()).isZero();
            assertThat(pwd.stdout()).isEqualTo("/tmp\n1\n");
            assertThat(user.exitCode()).as(user.toString()).isEqualTo(125);
            assertThat(user.stderr())
                    .contains("exec -u is not possible on this runtime")
                    .contains("CRI alone");
        } finally {
            assertThat(berth("rm", "-f", "execs").exitCode()).isZero();
        }
    }
}
