package dev.berth.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.cri.v1.Container;
import dev.berth.cri.v1.ContainerConfig;
import dev.berth.cri.v1.ContainerFilter;
import dev.berth.cri.v1.ContainerMetadata;
import dev.berth.cri.v1.ContainerState;
import dev.berth.cri.v1.CreateContainerRequest;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.ListContainersRequest;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.PodSandboxMetadata;
import dev.berth.cri.v1.RemovePodSandboxRequest;
import dev.berth.cri.v1.RunPodSandboxRequest;
import dev.berth.cri.v1.StartContainerRequest;
import dev.berth.cri.v1.StopPodSandboxRequest;
import dev.berth.testkit.Privileges;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** run --restart and run --rm -d: berthd acts on the CLI pod's annotations when the container exits. */
class BerthRestartPolicyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(30);
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
    void onFailureWithALimitRestartsThatOftenThenStaysExited() throws Exception {
        CliResult run = bed.berth(
                "run",
                "-d",
                "--restart",
                "on-failure:2",
                "--name",
                "flaky",
                bed.busybox(),
                "sh",
                "-c",
                "echo ran; exit 3");
        assertThat(run.exitCode()).as(run.toString()).isZero();

        awaitStatus("flaky", status -> status.startsWith("Exited (3)") && restartCount("flaky") == 2);
        Thread.sleep(1_500); // nothing restarts it a third time
        assertThat(restartCount("flaky")).isEqualTo(2);
        assertThat(status("flaky")).startsWith("Exited (3)");
        // one log across the runs, as docker's
        assertThat(bed.berth("logs", "flaky").stdout()).isEqualTo("ran\nran\nran\n");
        assertThat(bed.berth("rm", "flaky").exitCode()).isZero();
    }

    @Test
    void alwaysRestartsEvenAfterSuccessUntilTheUserStopsIt() throws Exception {
        CliResult run = bed.berth(
                "run", "-d", "--restart", "always", "--name", "forever", bed.busybox(), "sh", "-c", "sleep 0.2");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        awaitStatus("forever", status -> restartCount("forever") >= 2);

        CliResult stop = bed.berth("stop", "-t", "1", "forever");
        assertThat(stop.exitCode()).as(stop.toString()).isZero();
        int stoppedAt = restartCount("forever");
        Thread.sleep(2_000);
        assertThat(restartCount("forever")).isEqualTo(stoppedAt);
        assertThat(status("forever")).startsWith("Exited (");
        assertThat(bed.berth("rm", "forever").exitCode()).isZero();
    }

    @Test
    void thePolicyOutlivesABerthdRestartAndAnExitWhileItWasDown() throws Exception {
        CliResult run = bed.berth(
                "run",
                "-d",
                "--restart",
                "on-failure",
                "--name",
                "survivor",
                bed.busybox(),
                "sh",
                "-c",
                "sleep 2; exit 1");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        awaitStatus("survivor", status -> status.startsWith("Up ") && restartCount("survivor") >= 1);
        int before = restartCount("survivor");

        bed.killAndRestartBerthd(Duration.ofSeconds(3)); // the container exits while no berthd runs
        awaitStatus("survivor", status -> restartCount("survivor") > before);

        assertThat(bed.berth("rm", "-f", "survivor").exitCode()).isZero();
    }

    @Test
    void aKubeletPodIsNeverRestartedWhateverItsLabelsAndAnnotationsSay() throws Exception {
        var runtime = bed.berthd().runtime();
        PodSandboxConfig pod = PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder()
                        .setName("kubelets-restart")
                        .setNamespace("default")
                        .setUid("restart-test-uid"))
                .putLabels("dev.berth.cli/name", "kubelets-restart")
                .putLabels("io.kubernetes.pod.uid", "restart-test-uid")
                .putAnnotations("berth.dev/restart-policy", "always")
                .putAnnotations("berth.dev/auto-remove", "true")
                .build();
        String podId = runtime.runPodSandbox(
                        RunPodSandboxRequest.newBuilder().setConfig(pod).build())
                .getPodSandboxId();
        String containerId = runtime.createContainer(CreateContainerRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .setSandboxConfig(pod)
                        .setConfig(ContainerConfig.newBuilder()
                                .setMetadata(ContainerMetadata.newBuilder().setName("c"))
                                .setImage(ImageSpec.newBuilder().setImage(bed.busybox()))
                                .addAllCommand(List.of("sh", "-c", "exit 1")))
                        .build())
                .getContainerId();
        runtime.startContainer(
                StartContainerRequest.newBuilder().setContainerId(containerId).build());

        Thread.sleep(2_000);
        List<Container> containers = runtime.listContainers(ListContainersRequest.newBuilder()
                        .setFilter(ContainerFilter.newBuilder().setPodSandboxId(podId))
                        .build())
                .getContainersList();
        assertThat(containers).singleElement().satisfies(c -> {
            assertThat(c.getId()).isEqualTo(containerId);
            assertThat(c.getState()).isEqualTo(ContainerState.CONTAINER_EXITED);
        });
        runtime.stopPodSandbox(
                StopPodSandboxRequest.newBuilder().setPodSandboxId(podId).build());
        runtime.removePodSandbox(
                RemovePodSandboxRequest.newBuilder().setPodSandboxId(podId).build());
    }

    @Test
    void noNeverRestarts() throws Exception {
        CliResult run =
                bed.berth("run", "-d", "--restart", "no", "--name", "once", bed.busybox(), "sh", "-c", "exit 3");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        awaitStatus("once", status -> status.startsWith("Exited (3)"));
        String containerId = inspect("once").path("Container").path("id").asText();
        Thread.sleep(1_500);
        assertThat(restartCount("once")).isZero();
        assertThat(inspect("once").path("Container").path("id").asText()).isEqualTo(containerId);
        assertThat(bed.berth("rm", "once").exitCode()).isZero();
    }

    @Test
    void restartWithRmIsAConflictAndABadPolicyIsRefused() throws Exception {
        CliResult both = bed.berth("run", "-d", "--rm", "--restart", "always", bed.busybox(), "true");
        assertThat(both.exitCode()).isEqualTo(125);
        assertThat(both.stderr()).contains("Conflicting options: --restart and --rm");
        CliResult bad = bed.berth("run", "-d", "--restart", "sometimes", bed.busybox(), "true");
        assertThat(bad.exitCode()).isEqualTo(125);
        assertThat(bad.stderr()).contains("invalid restart policy sometimes");
    }

    @Test
    void detachedRunWithRmLeavesNothingOnceTheContainerExits() throws Exception {
        CliResult run = bed.berth("run", "-d", "--rm", "--name", "brief", bed.busybox(), "sh", "-c", "sleep 0.5");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        String podId = run.stdout().strip();
        var pod = bed.pods().stream()
                .filter(p -> p.getId().equals(podId))
                .findFirst()
                .orElseThrow();
        Path logs = Path.of("/var/log/pods/berth-cli_" + pod.getMetadata().getName() + "_"
                + pod.getMetadata().getUid());
        assertThat(logs).isDirectory();

        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (bed.pods().stream().anyMatch(p -> p.getId().equals(podId)) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(bed.pods()).noneMatch(p -> p.getId().equals(podId));
        assertThat(Files.exists(logs)).isFalse();
        assertThat(bed.berth("ps", "-a", "-q", "--filter", "name=brief").stdout())
                .isEmpty();
    }

    private static void awaitStatus(String name, Wanted wanted) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        String status = status(name);
        while (!wanted.test(status)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " never reached the wanted status; last: " + status + ", restarts "
                        + restartCount(name) + "\n" + bed.berth("logs", name));
            }
            Thread.sleep(100);
            status = status(name);
        }
    }

    private interface Wanted {
        boolean test(String status) throws Exception;
    }

    private static String status(String name) throws Exception {
        CliResult ps = bed.berth("ps", "-a", "--filter", "name=" + name, "--format", "{{.Status}}");
        assertThat(ps.exitCode()).as(ps.toString()).isZero();
        return ps.stdout().strip();
    }

    private static int restartCount(String name) throws Exception {
        return inspect(name).path("RestartCount").asInt(-1);
    }

    private static JsonNode inspect(String name) throws Exception {
        CliResult inspect = bed.berth("inspect", name);
        assertThat(inspect.exitCode()).as(inspect.toString()).isZero();
        return JSON.readTree(inspect.stdout()).get(0);
    }
}
