package dev.berth.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cri.v1.ImageServiceGrpc;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.NamespaceMode;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.PullImageRequest;
import dev.berth.cri.v1.RemovePodSandboxRequest;
import dev.berth.cri.v1.RuntimeServiceGrpc;
import dev.berth.cri.v1.StopPodSandboxRequest;
import dev.berth.cri.v1.VersionRequest;
import dev.berth.cri.v1.VersionResponse;
import dev.berth.process.CommandRunner;
import dev.berth.process.CommandRunner.Command;
import dev.berth.process.CommandRunner.CommandResult;
import dev.berth.store.Directories;
import dev.berth.sys.NotifySocketListener;
import dev.berth.testing.LeakCheck;
import dev.berth.testing.PodClient;
import dev.berth.testkit.Privileges;
import dev.berth.testkit.cri.CriChannel;
import dev.berth.testkit.layer.BusyboxImage;
import dev.berth.testkit.registry.ImagePusher;
import dev.berth.testkit.registry.RegistryFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The .deb the build made, as a node gets it: dpkg -i, berthd started as berthd.service starts it (its ExecStart
 * and Environment, NOTIFY_SOCKET, systemd's PATH), READY=1 once CRI serves, a container runs, then dpkg --purge
 * leaves nothing.
 * berthd runs on its own directories, so it never meets a berthd on /run/berth.
 */
class DebPackageIT {

    private static final String PACKAGE = "berth";
    private static final Path UNIT = Path.of("/lib/systemd/system/berthd.service");
    /** What berthd.service's Depends names besides the JRE; .ci/packages.txt has them all. */
    private static final List<String> RUNTIME_DEPENDS =
            List.of("runc", "conmon", "containernetworking-plugins", "catatonit", "iptables");
    /** PATH as systemd gives a system service. */
    private static final String CGROUP_MARKER = "berth-deb-it";

    private static final String SYSTEMD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final String version = System.getProperty("berth.project.version");
    private final Path deb = Path.of(System.getProperty("berth.deb", "target/berth_" + version + "_amd64.deb"));
    private Path base;
    private CommandRunner runner;
    private Process berthd;
    private boolean installed;

    @BeforeEach
    void setUp() throws Exception {
        Privileges.requireRoot();
        Privileges.require(Files.isExecutable(Path.of("/usr/bin/dpkg")), "this test needs dpkg (Debian or Ubuntu)");
        Privileges.require(
                RegistryFixture.available(), "docker-registry is not installed (apt-get install docker-registry)");
        assertThat(deb).as("the build's package (./mvnw package)").isRegularFile();
        base = Files.createTempDirectory("berth-deb-");
        runner = new CommandRunner(base.resolve("scratch"));
        assertThat(packageStatus(PACKAGE))
                .as("a berth package is installed here already: this test would purge it")
                .doesNotStartWith("install ");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (berthd != null && berthd.isAlive()) {
            berthd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (installed) {
            dpkg(List.of("dpkg", "--purge", PACKAGE));
        }
        if (base != null) {
            LeakCheck.unmountEverythingUnder(base);
            Directories.deleteRecursively(base);
        }
    }

    @Test
    void installedPackageRunsBerthdAsItsUnitDoesAndPurgesClean() throws Exception {
        installDepends();
        List<String> install = new ArrayList<>(List.of("dpkg", "-i"));
        if (!jreDependencySatisfied()) {
            // the JRE this build ran on is no Debian package (a Temurin tarball): dpkg cannot know it is there
            install.add("--force-depends");
        }
        install.add(deb.toString());
        installed = true;
        CommandResult dpkg = dpkg(install);
        assertThat(dpkg.exitCode()).as(dpkg.stderr()).isZero();
        assertThat(packageStatus(PACKAGE)).isEqualTo("install ok installed");
        assertThat(Path.of("/usr/lib/berth/berthd.jar")).isRegularFile();
        assertThat(Path.of("/usr/lib/berth/berth-cli.jar")).isRegularFile();
        assertThat(Path.of("/etc/berth/berth.yaml")).isRegularFile();

        assertThat(run(Duration.ofSeconds(60), "/usr/bin/berthd", "--version").stdout())
                .isEqualTo("berthd " + version + "\n");
        Path cache = base.resolve("cache");
        CommandResult cli = runner.run(Command.of(Duration.ofSeconds(60), List.of("/usr/bin/berth", "--version"))
                .withEnvironment(Map.of("XDG_CACHE_HOME", cache.toString())));
        assertThat(cli.stdout()).as(cli.stderr()).isEqualTo("berth version " + version + "\n");
        // the CLI's class-data archive goes to the user's cache, never into the package's files
        assertThat(cache.resolve("berth")).isDirectory();

        String unit = Files.readString(UNIT);
        assertThat(directive(unit, "Type")).isEqualTo("notify");
        List<String> command =
                new ArrayList<>(Arrays.asList(directive(unit, "ExecStart").split("\\s+")));
        Path socket = base.resolve("state/berth.sock");
        command.addAll(List.of(
                "--root", base.resolve("root").toString(),
                "--state", base.resolve("state").toString(),
                "--socket", socket.toString()));
        try (NotifySocketListener systemd =
                NotifySocketListener.bind(base.resolve("notify").toString())) {
            ProcessBuilder service = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(base.resolve("berthd.log").toFile());
            service.environment().clear();
            service.environment().put("PATH", SYSTEMD_PATH);
            service.environment().putAll(environment(unit));
            service.environment().put("NOTIFY_SOCKET", systemd.name());
            berthd = service.start();

            String ready = systemd.receive(Duration.ofSeconds(90));

            assertThat(ready).as(log()).contains("READY=1");
            // READY=1 comes once the CRI socket serves: the first call after it is answered
            try (CriChannel channel = CriChannel.connect(socket)) {
                VersionResponse runtime = RuntimeServiceGrpc.newBlockingStub(channel.channel())
                        .withDeadlineAfter(10, TimeUnit.SECONDS)
                        .version(VersionRequest.getDefaultInstance());
                assertThat(runtime.getRuntimeName()).isEqualTo("berth");
                assertThat(runtime.getRuntimeVersion()).isEqualTo(version);
                containerStartsUntouchedByTheNotifySocket(channel);
            }

            berthd.destroy();
            assertThat(systemd.receive(Duration.ofSeconds(30))).isEqualTo("STOPPING=1");
            assertThat(berthd.waitFor(30, TimeUnit.SECONDS)).as(log()).isTrue();
        }
        // what the unit counts as a clean stop, so `systemctl stop berthd` leaves it inactive, not failed
        List<String> success = new ArrayList<>(List.of("0"));
        success.addAll(Arrays.asList(directive(unit, "SuccessExitStatus").split("\\s+")));
        assertThat(success).as(log()).contains(Integer.toString(berthd.exitValue()));

        CommandResult purge = dpkg(List.of("dpkg", "--purge", PACKAGE));
        installed = false;
        assertThat(purge.exitCode()).as(purge.stderr()).isZero();
        assertThat(packageStatus(PACKAGE)).doesNotStartWith("install ");
        for (String path :
                List.of("/usr/lib/berth", "/usr/bin/berthd", "/usr/bin/berth", UNIT.toString(), "/etc/berth")) {
            assertThat(Path.of(path)).as(path).doesNotExist();
        }
    }

    /**
     * runc given NOTIFY_SOCKET would hand it to the container and make {@code runc start} wait for the
     * container's own READY=1: a container of berthd's must start and run without it.
     */
    private void containerStartsUntouchedByTheNotifySocket(CriChannel channel) throws Exception {
        try (RegistryFixture registry = RegistryFixture.start()) {
            String busybox = new ImagePusher(registry)
                    .pushImage("deb/busybox", "1", BusyboxImage.fromHost().image())
                    .reference();
            ImageServiceGrpc.newBlockingStub(channel.channel())
                    .withDeadlineAfter(2, TimeUnit.MINUTES)
                    .pullImage(PullImageRequest.newBuilder()
                            .setImage(ImageSpec.newBuilder().setImage(busybox))
                            .build());
            PodClient pods = new PodClient(
                    () -> RuntimeServiceGrpc.newBlockingStub(channel.channel()).withDeadlineAfter(2, TimeUnit.MINUTES),
                    base.resolve("logs"),
                    CGROUP_MARKER);
            PodSandboxConfig.Builder pod = pods.pod("deb");
            // the node's network: no CNI bridge to share with other tests
            pod.getLinuxBuilder()
                    .getSecurityContextBuilder()
                    .getNamespaceOptionsBuilder()
                    .setNetwork(NamespaceMode.NODE);
            PodSandboxConfig config = pod.build();
            String podId = pods.run(config);
            try {
                String container = pods.createAndStart(
                        podId,
                        config,
                        pods.container("check", busybox, "sh", "-c", "test -z \"$NOTIFY_SOCKET\"")
                                .build());

                assertThat(pods.awaitExit(container, 60).getExitCode()).isZero();
            } finally {
                var runtime =
                        RuntimeServiceGrpc.newBlockingStub(channel.channel()).withDeadlineAfter(1, TimeUnit.MINUTES);
                runtime.stopPodSandbox(StopPodSandboxRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .build());
                runtime.removePodSandbox(RemovePodSandboxRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .build());
            }
        }
    }

    /** The Depends besides the JRE, from apt when missing: .ci/run installs them, a developer's host may not have. */
    private void installDepends() throws Exception {
        List<String> missing = new ArrayList<>();
        for (String name : RUNTIME_DEPENDS) {
            if (!packageStatus(name).equals("install ok installed")) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            List<String> apt = new ArrayList<>(List.of(
                    "apt-get", "-o", "DPkg::Lock::Timeout=300", "install", "-y", "-q", "--no-install-recommends"));
            apt.addAll(missing);
            CommandResult result = run(Duration.ofMinutes(10), apt.toArray(String[]::new));
            assertThat(result.exitCode()).as(result.stderr()).isZero();
        }
    }

    /** Whether an installed package is, or provides, one of the JRE alternatives the package's Depends names. */
    private boolean jreDependencySatisfied() throws Exception {
        String depends = run(Duration.ofSeconds(30), "dpkg-deb", "-f", deb.toString(), "Depends")
                .stdout();
        List<String> alternatives = Arrays.stream(depends.split(","))
                .map(String::strip)
                .filter(group -> group.contains("|"))
                .flatMap(group -> Arrays.stream(group.split("\\|")).map(String::strip))
                .toList();
        assertThat(alternatives).as("the JRE alternatives in Depends").isNotEmpty();
        String installedPackages = run(
                        Duration.ofSeconds(30),
                        "dpkg-query",
                        "-W",
                        "-f",
                        "${db:Status-Status} ${Package} ${Provides}\\n")
                .stdout();
        return installedPackages
                .lines()
                .filter(line -> line.startsWith("installed "))
                .flatMap(line ->
                        Arrays.stream(line.substring("installed ".length()).split("[ ,]+")))
                .anyMatch(alternatives::contains);
    }

    /** dpkg, waiting for the lock while another installation (apt on a shared host) holds it. */
    private CommandResult dpkg(List<String> argv) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            CommandResult result = run(Duration.ofMinutes(3), argv.toArray(String[]::new));
            if (result.exitCode() == 0 || !result.stderr().contains("lock") || System.nanoTime() > deadline) {
                return result;
            }
            Thread.sleep(2000);
        }
    }

    private String packageStatus(String name) throws Exception {
        return run(Duration.ofSeconds(30), "dpkg-query", "-W", "-f", "${Status}", name)
                .stdout()
                .strip();
    }

    /** A [Service] directive's value; the unit sets each of those the test reads once. */
    private static String directive(String unit, String name) {
        List<String> values = unit.lines()
                .filter(line -> line.startsWith(name + "="))
                .map(line -> line.substring(name.length() + 1).strip())
                .toList();
        assertThat(values).as(name + "= in the unit").hasSize(1);
        return values.getFirst();
    }

    /** The unit's Environment= assignments (unquoted KEY=VALUE words). */
    private static Map<String, String> environment(String unit) {
        Map<String, String> env = new LinkedHashMap<>();
        unit.lines()
                .filter(line -> line.startsWith("Environment="))
                .flatMap(line ->
                        Arrays.stream(line.substring("Environment=".length()).split("\\s+")))
                .forEach(word -> env.put(word.substring(0, word.indexOf('=')), word.substring(word.indexOf('=') + 1)));
        return env;
    }

    private CommandResult run(Duration timeout, String... argv) throws Exception {
        return runner.run(Command.of(timeout, List.of(argv)));
    }

    private String log() {
        try {
            return Files.readString(base.resolve("berthd.log"));
        } catch (java.io.IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
