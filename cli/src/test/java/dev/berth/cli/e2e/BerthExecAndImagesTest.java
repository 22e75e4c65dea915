package dev.berth.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.PodSandboxMetadata;
import dev.berth.cri.v1.RunPodSandboxRequest;
import dev.berth.testkit.Privileges;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** berth exec (pipes and a terminal), cp, stats, top, images and kubelet's pods, against a real berthd and registry. */
class BerthExecAndImagesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static CliTestBed bed;

    @BeforeAll
    static void start() throws Exception {
        Privileges.requireRoot();
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
    void execRunsInTheContainerAndPassesItsExitCode() throws Exception {
        assertThat(bed.berth("run", "-d", "--name", "host", "-e", "WHO=berth", bed.busybox(), "sleep", "300")
                        .exitCode())
                .isZero();
        CliResult echo = bed.berth("exec", "host", "sh", "-c", "echo hi $WHO; echo warn >&2");
        assertThat(echo.exitCode()).as(echo.toString()).isZero();
        assertThat(echo.stdout()).isEqualTo("hi berth\n");
        assertThat(echo.stderr()).isEqualTo("warn\n");
        assertThat(bed.berth("exec", "host", "sh", "-c", "exit 5").exitCode()).isEqualTo(5);
        assertThat(bed.berth("exec", "-w", "/tmp", "host", "pwd").stdout()).isEqualTo("/tmp\n");
        assertThat(bed.berth("exec", "-e", "A=1", "host", "sh", "-c", "echo $A").stdout())
                .isEqualTo("1\n");
        CliResult missing = bed.berth("exec", "host", "no-such-command");
        assertThat(missing.exitCode()).as(missing.toString()).isIn(126, 127);
        assertThat(bed.berth("rm", "-f", "host").exitCode()).isZero();
    }

    @Test
    void cpCopiesFilesAndTreesBothWays(@org.junit.jupiter.api.io.TempDir java.nio.file.Path host) throws Exception {
        assertThat(bed.berth("run", "-d", "--name", "box", bed.busybox(), "sleep", "300")
                        .exitCode())
                .isZero();
        java.nio.file.Path tree = java.nio.file.Files.createDirectories(host.resolve("tree/sub"));
        java.nio.file.Files.writeString(host.resolve("tree/a.txt"), "alpha\n");
        java.nio.file.Files.writeString(tree.resolve("b.txt"), "beta\n");

        CliResult in = bed.berth("cp", host.resolve("tree").toString(), "box:/tmp");
        assertThat(in.exitCode()).as(in.toString()).isZero();
        assertThat(bed.berth("exec", "box", "cat", "/tmp/tree/a.txt", "/tmp/tree/sub/b.txt")
                        .stdout())
                .isEqualTo("alpha\nbeta\n");
        CliResult renamed = bed.berth("cp", host.resolve("tree/a.txt").toString(), "box:/tmp/renamed.txt");
        assertThat(renamed.exitCode()).as(renamed.toString()).isZero();
        assertThat(bed.berth("exec", "box", "cat", "/tmp/renamed.txt").stdout()).isEqualTo("alpha\n");

        CliResult file =
                bed.berth("cp", "box:/etc/passwd", host.resolve("passwd-copy").toString());
        assertThat(file.exitCode()).as(file.toString()).isZero();
        assertThat(java.nio.file.Files.readString(host.resolve("passwd-copy"))).startsWith("root:x:0:0:");
        CliResult back = bed.berth("cp", "box:/tmp/tree", host.resolve("back").toString());
        assertThat(back.exitCode()).as(back.toString()).isZero();
        assertThat(java.nio.file.Files.readString(host.resolve("back/sub/b.txt")))
                .isEqualTo("beta\n");

        CliResult missing = bed.berth("cp", "box:/no/such/file", host.toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).contains("tar in the container failed");
        assertThat(bed.berth("rm", "-f", "box").exitCode()).isZero();
    }

    @Test
    void statsAndTopDescribeARunningContainer() throws Exception {
        assertThat(bed.berth("run", "-d", "--name", "busy", "--memory", "64m", bed.busybox(), "sleep", "300")
                        .exitCode())
                .isZero();
        CliResult stats = bed.berth("stats", "--no-stream");
        assertThat(stats.exitCode()).as(stats.toString()).isZero();
        assertThat(stats.lines().getFirst())
                .matches("CONTAINER ID +NAME +CPU % +MEM USAGE / LIMIT +MEM % +NET I/O +BLOCK I/O +PIDS");
        assertThat(stats.lines())
                .anySatisfy(line -> assertThat(line)
                        .matches("[0-9a-f]{12} +busy +\\d+\\.\\d\\d% +[0-9.]+[KMG]?i?B / 64MiB +.* +1$"));
        CliResult top = bed.berth("top", "busy");
        assertThat(top.exitCode()).as(top.toString()).isZero();
        assertThat(top.lines().getFirst()).matches("UID +PID +PPID +STIME +CMD");
        assertThat(top.lines()).anySatisfy(line -> assertThat(line).matches("0 +\\d+ +\\d+ +\\d\\d:\\d\\d +sleep 300"));
        assertThat(bed.berth("rm", "-f", "busy").exitCode()).isZero();
    }

    @Test
    void imagesInspectAndRmiSpeakDockersLanguage() throws Exception {
        String image = bed.pushBusybox("cli/removable", "2", "sleep", "1");
        assertThat(bed.berth("pull", image).exitCode()).isZero();
        CliResult images = bed.berth("images");
        assertThat(images.lines().getFirst()).matches("REPOSITORY +TAG +IMAGE ID +CREATED +SIZE");
        assertThat(images.lines())
                .anySatisfy(line -> assertThat(line)
                        .matches(bed.registry().replace(".", "\\.")
                                + "/cli/removable +2 +[0-9a-f]{12} +.+ ago +1\\.\\d\\dMB"));
        JsonNode row = JSON.readTree(
                bed.berth("images", "--format", "{{json .}}").lines().getFirst());
        assertThat(row.path("Size").asText()).endsWith("MB");

        assertThat(bed.berth("run", "-d", "--name", "user", image, "sleep", "300")
                        .exitCode())
                .isZero();
        JsonNode inspect = JSON.readTree(bed.berth("inspect", "user", image).stdout());
        assertThat(inspect).hasSize(2);
        assertThat(inspect.get(0).path("Container").path("status").path("state").asText())
                .isEqualTo("CONTAINER_RUNNING");
        assertThat(inspect.get(0)
                        .path("PodSandbox")
                        .path("status")
                        .path("labels")
                        .path("dev.berth.cli/name")
                        .asText())
                .isEqualTo("user");
        assertThat(inspect.get(1)
                        .path("Image")
                        .path("status")
                        .path("repoTags")
                        .get(0)
                        .asText())
                .isEqualTo(image);

        CliResult inUse = bed.berth("rmi", image);
        assertThat(inUse.exitCode()).isEqualTo(1);
        assertThat(inUse.stderr()).contains("must force");
        assertThat(bed.berth("rm", "-f", "user").exitCode()).isZero();
        CliResult rmi = bed.berth("rmi", image);
        assertThat(rmi.exitCode()).as(rmi.toString()).isZero();
        assertThat(rmi.stdout()).contains("Untagged: " + image).contains("Deleted: sha256:");
        assertThat(bed.berth("images", "--format", "{{.Repository}}").lines())
                .doesNotContain(bed.registry() + "/cli/removable");
    }

    @Test
    void kubeletsPodsAreNeitherListedNorRemovedByName() throws Exception {
        String podId = bed.berthd()
                .runtime()
                .runPodSandbox(RunPodSandboxRequest.newBuilder()
                        .setConfig(PodSandboxConfig.newBuilder()
                                .setMetadata(PodSandboxMetadata.newBuilder()
                                        .setName("kubelets")
                                        .setNamespace("default")
                                        .setUid("cli-test-uid"))
                                .setHostname("kubelets"))
                        .build())
                .getPodSandboxId();
        assertThat(bed.berth("ps", "-a", "--format", "{{.Names}}").lines()).doesNotContain("kubelets");
        assertThat(bed.berth("rm", "kubelets").exitCode()).isEqualTo(1);
        assertThat(bed.pods()).anyMatch(pod -> pod.getId().equals(podId));
        CliResult byId = bed.berth("rm", podId.substring(0, 12));
        assertThat(byId.exitCode()).as(byId.toString()).isZero();
        assertThat(bed.pods()).noneMatch(pod -> pod.getId().equals(podId));
    }
}
