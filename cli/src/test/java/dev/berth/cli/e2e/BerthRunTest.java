package dev.berth.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.cli.Berth;
import dev.berth.cri.v1.ContainerFilter;
import dev.berth.cri.v1.ContainerState;
import dev.berth.cri.v1.ContainerStateValue;
import dev.berth.cri.v1.ListContainersRequest;
import dev.berth.testkit.Privileges;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** berth run, ps, logs, stop/start, rm and the errors, run as its own process against a real berthd and registry. */
class BerthRunTest {

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
    void runDetachedPublishesAPortTheHostReaches() throws Exception {
        int port = freePort();
        CliResult run = bed.berth(
                "run",
                "-d",
                "-p",
                port + ":80",
                "--name",
                "web",
                "-e",
                "GREETING=hello from berth",
                bed.busybox(),
                "sh",
                "-c",
                "echo \"$GREETING\" > /tmp/index.html; exec httpd -f -v -p 80 -h /tmp");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        String id = run.stdout().strip();
        assertThat(id).hasSize(64);

        assertThat(fetch(port)).isEqualTo("hello from berth\n");

        CliResult ps = bed.berth("ps");
        assertThat(ps.lines().getFirst()).matches("CONTAINER ID +IMAGE +COMMAND +CREATED +STATUS +PORTS +NAMES");
        assertThat(ps.lines())
                .anySatisfy(line -> assertThat(line)
                        .startsWith(id.substring(0, 12) + "   " + bed.busybox())
                        .contains("\"sh -c echo \"$GREETI…\"")
                        .containsPattern("(seconds|second) ago +Up ")
                        .contains("0.0.0.0:" + port + "->80/tcp")
                        .endsWith("web"));
        assertThat(bed.berth("port", "web").stdout()).isEqualTo("80/tcp -> 0.0.0.0:" + port + "\n");

        CliResult portClash = bed.berth("run", "-d", "-p", port + ":8080", "--name", "web2", bed.busybox());
        assertThat(portClash.exitCode()).isEqualTo(125);
        assertThat(portClash.stderr())
                .contains("Bind for 0.0.0.0:" + port + " failed: port is already allocated by container web");
        CliResult nameClash = bed.berth("run", "-d", "--name", "web", bed.busybox(), "sleep", "1");
        assertThat(nameClash.exitCode()).isEqualTo(125);
        assertThat(nameClash.stderr()).contains("The container name \"web\" is already in use by container \"" + id);

        CliResult rmRunning = bed.berth("rm", "web");
        assertThat(rmRunning.exitCode()).isEqualTo(1);
        assertThat(rmRunning.stderr()).contains("cannot remove the running container web");
        CliResult rm = bed.berth("rm", "-f", "web");
        assertThat(rm.exitCode()).as(rm.toString()).isZero();
        assertThat(bed.berth("ps", "-a", "--format", "{{.Names}}").lines()).doesNotContain("web");
        assertThat(bed.pods()).noneMatch(pod -> pod.getId().equals(id));
        try (var logDirs = java.nio.file.Files.list(java.nio.file.Path.of("/var/log/pods"))) {
            assertThat(logDirs.map(dir -> dir.getFileName().toString()))
                    .noneMatch(dir -> dir.startsWith("berth-cli_web_"));
        }
    }

    @Test
    void foregroundRunPassesOutputAndExitCodeAndRmLeavesNothing() throws Exception {
        CliResult run =
                bed.berth("run", "--rm", "--name", "once", bed.busybox(), "sh", "-c", "echo out; echo err >&2; exit 3");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.stdout()).isEqualTo("out\n");
        assertThat(run.stderr()).isEqualTo("err\n");
        assertThat(bed.pods()).noneMatch(pod -> pod.getMetadata().getName().equals("once"));
    }

    @Test
    void foregroundRunEndsWhenItsContainerIsRemovedElsewhere() throws Exception {
        for (boolean autoRemove : List.of(false, true)) {
            String name = autoRemove ? "doomed-rm" : "doomed";
            Path stderr = Files.createTempFile("berth-run-stderr-", ".txt");
            try {
                List<String> args = new ArrayList<>(List.of("run", "--name", name));
                if (autoRemove) {
                    args.add("--rm");
                }
                args.addAll(List.of(bed.busybox(), "sh", "-c", "echo up; sleep 300"));
                Process run = bed.startBerth(ProcessBuilder.Redirect.to(stderr.toFile()), args.toArray(String[]::new));
                try (var out =
                        new BufferedReader(new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8))) {
                    assertThat(out.readLine()).isEqualTo("up");
                    CliResult rm = bed.berth("rm", "-f", name);
                    assertThat(rm.exitCode()).as(rm.toString()).isZero();
                    assertThat(run.waitFor(20, TimeUnit.SECONDS))
                            .as("the foreground run ends once its container has gone")
                            .isTrue();
                } finally {
                    run.destroyForcibly();
                }
                // as docker's: the kill's 137 when the run saw the container exit, else its own failure in words
                String said = Files.readString(stderr);
                assertThat(said).doesNotContain("Exception");
                if (run.exitValue() != 137) {
                    assertThat(run.exitValue()).as(said).isEqualTo(Berth.OWN_FAILURE);
                    assertThat(said).contains("No such container");
                }
                assertThat(bed.pods())
                        .noneMatch(pod -> pod.getMetadata().getName().equals(name));
            } finally {
                Files.deleteIfExists(stderr);
            }
        }
    }

    @Test
    void runFlagsShapeTheContainer(@org.junit.jupiter.api.io.TempDir java.nio.file.Path host) throws Exception {
        java.nio.file.Path data = java.nio.file.Files.createDirectories(host.resolve("data"));
        java.nio.file.Files.writeString(data.resolve("x"), "from the host\n");
        java.nio.file.Path envFile = java.nio.file.Files.writeString(
                host.resolve("env"), "# a comment\nFROMFILE=file value\n\nOVERRIDDEN=file\n");
        CliResult run = bed.berth(
                "run",
                "--rm",
                "-v",
                data + ":/data:ro",
                "-w",
                "/data",
                "-u",
                "1000:1000",
                "--hostname",
                "hh",
                "--env-file",
                envFile.toString(),
                "-e",
                "OVERRIDDEN=flag",
                "--memory",
                "64m",
                "--cpus",
                "0.5",
                "--entrypoint",
                "sh",
                bed.busybox(),
                "-c",
                "pwd; id -u; id -g; hostname; cat x; echo $FROMFILE $OVERRIDDEN;"
                        + " touch y 2>/dev/null || echo read-only; cat /sys/fs/cgroup/memory/memory.limit_in_bytes"
                        + " /sys/fs/cgroup/memory.max 2>/dev/null; true");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.lines())
                .startsWith("/data", "1000", "1000", "hh", "from the host", "file value flag", "read-only")
                .contains(Long.toString(64L << 20));
    }

    @Test
    void interactiveRunReadsStdinAndHostNetworkSharesTheHostsInterfaces() throws Exception {
        CliResult run = bed.berthWithInput("echo from stdin; exit 4\n", "run", "-i", "--rm", bed.busybox(), "sh");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.stdout()).isEqualTo("from stdin\n");
        CliResult host = bed.berth("run", "--rm", "--net", "host", bed.busybox(), "cat", "/proc/net/dev");
        assertThat(host.exitCode()).as(host.toString()).isZero();
        assertThat(interfaces(host.stdout()))
                .isEqualTo(interfaces(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/net/dev"))));
    }

    @Test
    void interactiveRunOfACommandThatExitsBeforeTheAttachShowsItsOutputAndCode() throws Exception {
        // the container does not read its input: it has exited by the time the attach is asked for
        for (int round = 0; round < 3; round++) {
            CliResult run =
                    bed.berthWithInput("", "run", "-i", "--rm", bed.busybox(), "sh", "-c", "echo quick; exit 5");
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(5);
            assertThat(run.stdout()).as(run.toString()).isEqualTo("quick\n");
            assertThat(run.stderr()).as(run.toString()).doesNotContain("attach");
        }
    }

    @Test
    void psShowsRunningAndExitedContainersInEveryFormat() throws Exception {
        assertThat(bed.berth("run", "-d", "--name", "sleeper", "-l", "team=a", bed.busybox(), "sleep", "300")
                        .exitCode())
                .isZero();
        assertThat(bed.berth("run", "-d", "--name", "quitter", bed.busybox(), "sh", "-c", "exit 2")
                        .exitCode())
                .isZero();
        awaitExited("quitter");

        assertThat(bed.berth("ps", "--format", "{{.Names}}").lines())
                .contains("sleeper")
                .doesNotContain("quitter");
        CliResult all = bed.berth("ps", "-a");
        assertThat(all.lines())
                .anySatisfy(line -> assertThat(line).containsPattern("Exited \\(2\\) .*seconds? ago +quitter$"));
        List<JsonNode> rows = new ArrayList<>();
        for (String line : bed.berth("ps", "-a", "--format", "json").lines()) {
            rows.add(JSON.readTree(line));
        }
        assertThat(rows)
                .anySatisfy(row -> {
                    assertThat(row.path("Names").asText()).isEqualTo("sleeper");
                    assertThat(row.path("State").asText()).isEqualTo("running");
                    assertThat(row.path("Labels").asText()).contains("team=a");
                })
                .anySatisfy(row -> {
                    assertThat(row.path("Names").asText()).isEqualTo("quitter");
                    assertThat(row.path("State").asText()).isEqualTo("exited");
                });
        assertThat(bed.berth("ps", "--filter", "status=exited", "--filter", "name=quit", "--format", "{{.Names}}")
                        .stdout())
                .isEqualTo("quitter\n");
        assertThat(bed.berth("ps", "-f", "label=team=a", "--format", "{{.Names}}")
                        .stdout())
                .isEqualTo("sleeper\n");
        assertThat(bed.berth("ps", "-q").lines())
                .allSatisfy(id -> assertThat(id).matches("[0-9a-f]{12}"));
        assertThat(bed.berth("ps", "-a", "--format", "{{.Names}}: {{.Status}}").lines())
                .anySatisfy(line -> assertThat(line).startsWith("quitter: Exited (2) "));

        assertThat(bed.berth("rm", "-f", "sleeper", "quitter").exitCode()).isZero();
    }

    @Test
    void logsShowStdoutAndStderrWithTailAndTimestamps() throws Exception {
        assertThat(bed.berth(
                                "run",
                                "-d",
                                "--name",
                                "talker",
                                bed.busybox(),
                                "sh",
                                "-c",
                                "for i in 1 2 3; do echo line$i; done; echo oops >&2")
                        .exitCode())
                .isZero();
        awaitExited("talker");
        CliResult logs = bed.berth("logs", "talker");
        assertThat(logs.exitCode()).isZero();
        assertThat(logs.stdout()).isEqualTo("line1\nline2\nline3\n");
        assertThat(logs.stderr()).isEqualTo("oops\n");
        assertThat(bed.berth("logs", "--tail", "1", "talker").stderr()).isEqualTo("oops\n");
        assertThat(bed.berth("logs", "--tail", "2", "talker").stdout()).isEqualTo("line3\n");
        assertThat(bed.berth("logs", "-t", "talker").lines())
                .allSatisfy(line -> assertThat(line).matches("\\d{4}-\\d\\d-\\d\\dT\\S+ line\\d"));
        CliResult follow = bed.berth("logs", "-f", "talker");
        assertThat(follow.stdout()).isEqualTo("line1\nline2\nline3\n");
        assertThat(bed.berth("rm", "talker").exitCode()).isZero();
    }

    @Test
    void logsFollowTheFileThroughKubeletsRotation() throws Exception {
        assertThat(bed.berth(
                                "run",
                                "-d",
                                "--name",
                                "rotor",
                                bed.busybox(),
                                "sh",
                                "-c",
                                "i=0; while [ $i -lt 40 ]; do echo n$i; i=$((i+1)); sleep 0.1; done")
                        .exitCode())
                .isZero();
        Process follow = bed.startBerth("logs", "-f", "rotor");
        Thread.sleep(1500);
        // what kubelet's log manager does: rename the file, then ask the runtime to write a new one
        var container = bed.berthd()
                .runtime()
                .listContainers(ListContainersRequest.newBuilder()
                        .setFilter(ContainerFilter.newBuilder().putLabelSelector("dev.berth.cli/name", "rotor"))
                        .build())
                .getContainers(0);
        String logPath = bed.berthd()
                .runtime()
                .containerStatus(dev.berth.cri.v1.ContainerStatusRequest.newBuilder()
                        .setContainerId(container.getId())
                        .build())
                .getStatus()
                .getLogPath();
        java.nio.file.Files.move(java.nio.file.Path.of(logPath), java.nio.file.Path.of(logPath + ".20240101-000000"));
        bed.berthd()
                .runtime()
                .reopenContainerLog(dev.berth.cri.v1.ReopenContainerLogRequest.newBuilder()
                        .setContainerId(container.getId())
                        .build());
        String output = new String(follow.getInputStream().readAllBytes());
        assertThat(follow.waitFor()).isZero();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            expected.add("n" + i);
        }
        assertThat(output.lines().toList()).isEqualTo(expected);
        assertThat(java.nio.file.Files.exists(java.nio.file.Path.of(logPath))).isTrue();
        assertThat(bed.berth("rm", "rotor").exitCode()).isZero();
    }

    @Test
    void stopThenStartRunsTheContainerAgainUnderItsId() throws Exception {
        String id = bed.berth("run", "-d", "--name", "phoenix", bed.busybox(), "sh", "-c", "echo started; sleep 300")
                .stdout()
                .strip();
        CliResult stop = bed.berth("stop", "-t", "1", "phoenix");
        assertThat(stop.exitCode()).as(stop.toString()).isZero();
        assertThat(bed.berth("ps", "-a", "--format", "{{.ID}} {{.State}}").lines())
                .contains(id.substring(0, 12) + " exited");
        CliResult start = bed.berth("start", "phoenix");
        assertThat(start.exitCode()).as(start.toString()).isZero();
        assertThat(bed.berth("ps", "--format", "{{.ID}} {{.State}}").lines())
                .contains(id.substring(0, 12) + " running");
        CliResult restart = bed.berth("restart", "-t", "1", id.substring(0, 8));
        assertThat(restart.exitCode()).as(restart.toString()).isZero();
        assertThat(bed.berth("ps", "--format", "{{.Names}} {{.State}}").lines()).contains("phoenix running");
        assertThat(bed.berth("rm", "-f", "phoenix").exitCode()).isZero();
    }

    @Test
    void failuresAreOneLineWithDockersExitCodes() throws Exception {
        CliResult unknownImage = bed.berth("run", "--rm", bed.registry() + "/cli/nope:1");
        assertThat(unknownImage.exitCode()).isEqualTo(125);
        assertThat(unknownImage.stderr()).contains("image not found: " + bed.registry() + "/cli/nope:1");
        CliResult pullUnknown = bed.berth("pull", bed.registry() + "/cli/nope");
        assertThat(pullUnknown.exitCode()).isEqualTo(1);
        assertThat(pullUnknown.stderr()).contains("image not found: " + bed.registry() + "/cli/nope:latest");

        CliResult noDaemon = bed.berthWithEnv(List.of(), "--endpoint", "unix:///run/no-such-berthd.sock", "ps");
        assertThat(noDaemon.exitCode()).isEqualTo(1);
        assertThat(noDaemon.stderr()).contains("Is berthd running? Start it with `./berth daemon`");
        CliResult noDaemonRun =
                bed.berthWithEnv(List.of("BERTH_ENDPOINT=unix:///run/no-such-berthd.sock"), "run", bed.busybox());
        assertThat(noDaemonRun.exitCode()).isEqualTo(125);

        CliResult badFlag = bed.berth("run", "--no-such-flag", bed.busybox());
        assertThat(badFlag.exitCode()).isEqualTo(125);
        assertThat(badFlag.stderr())
                .contains("Unknown option: '--no-such-flag'")
                .contains("Usage: berth run");

        CliResult noContainer = bed.berth("logs", "nobody");
        assertThat(noContainer.exitCode()).isEqualTo(1);
        assertThat(noContainer.stderr()).isEqualTo("berth: No such container: nobody\n");

        CliResult notFound = bed.berth("run", "--rm", bed.busybox(), "no-such-command");
        assertThat(notFound.exitCode()).as(notFound.toString()).isEqualTo(127);

        for (CliResult result : List.of(unknownImage, pullUnknown, noDaemon, badFlag, noContainer, notFound)) {
            assertThat(result.stderr()).doesNotContain("\tat ").doesNotContain("Exception");
        }
    }

    private static void awaitExited(String name) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            boolean exited = !bed.berthd()
                    .runtime()
                    .listContainers(ListContainersRequest.newBuilder()
                            .setFilter(ContainerFilter.newBuilder()
                                    .putLabelSelector("dev.berth.cli/name", name)
                                    .setState(
                                            ContainerStateValue.newBuilder().setState(ContainerState.CONTAINER_EXITED)))
                            .build())
                    .getContainersList()
                    .isEmpty();
            if (exited) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " did not exit");
    }

    /** The interface names of a /proc/net/dev. */
    private static java.util.Set<String> interfaces(String procNetDev) {
        return procNetDev
                .lines()
                .filter(line -> line.contains(":"))
                .map(line -> line.substring(0, line.indexOf(':')).strip())
                .collect(java.util.stream.Collectors.toSet());
    }

    private static String fetch(int port) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Exception last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                return http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/index.html"))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
            } catch (java.io.IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw last;
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
