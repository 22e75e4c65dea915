package dev.berth.e2e.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cri.v1.ContainerState;
import dev.berth.cri.v1.ContainerStatus;
import dev.berth.cri.v1.NamespaceMode;
import dev.berth.cri.v1.NamespaceOption;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.e2e.bench.BenchBerthd;
import dev.berth.e2e.bench.CriClient;
import dev.berth.operator.ociimage.OperatorImage;
import dev.berth.operator.ociimage.OperatorImage.BuiltImage;
import dev.berth.process.CommandRunner;
import dev.berth.testing.PodClient;
import dev.berth.testkit.Privileges;
import dev.berth.testkit.registry.RegistryFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator image as the README installs it: the oci-image profile's layout (built here with the profile's
 * own code, from the shaded jar the reactor just packaged), pushed by {@code skopeo copy oci:...}, pulled by
 * berthd through CRI PullImage, run in a container whose arguments replace the image's Cmd with
 * {@code --help}.
 */
class OperatorImageTest {
    private static final Path SKOPEO = Path.of("/usr/bin/skopeo");
    private static final String TAG = "e2e";

    private final RepoPaths repo = RepoPaths.locate();

    @TempDir
    Path tmp;

    @Test
    void layoutPushedBySkopeoRunsTheOperatorsHelpInBerthd() throws Exception {
        Privileges.requireRoot();
        RegistryFixture.requireAvailable();
        Privileges.require(Files.isExecutable(SKOPEO), "skopeo is not installed (apt-get install skopeo)");

        BuiltImage image = new OperatorImage().build(repo.operatorJar(), tmp.resolve("layout"), TAG);
        assertThat(image.size()).as("compressed size").isBetween(10L << 20, 200L << 20);

        try (RegistryFixture registry = RegistryFixture.start();
                BenchBerthd berthd = BenchBerthd.start(tmp);
                CriClient cri = CriClient.connect(berthd.socket())) {
            String reference = registry.reference("berth/operator:" + TAG);
            new CommandRunner(tmp)
                    .runChecked(CommandRunner.Command.of(
                            Duration.ofSeconds(120),
                            List.of(
                                    SKOPEO.toString(),
                                    "--insecure-policy",
                                    "copy",
                                    "--dest-tls-verify=false",
                                    "oci:" + image.layout() + ":" + TAG,
                                    "docker://" + reference)));

            String imageId = cri.pullImage(reference);
            assertThat(imageId).isNotBlank();

            PodClient pods = new PodClient(cri::runtime, tmp.resolve("logs"), "berthopimage");
            PodSandboxConfig.Builder podBuilder = pods.pod("operator-help");
            // the host's network: --help needs none, and the test leaves the shared bridge alone
            podBuilder
                    .getLinuxBuilder()
                    .getSecurityContextBuilder()
                    .setNamespaceOptions(NamespaceOption.newBuilder()
                            .setNetwork(NamespaceMode.NODE)
                            .setPid(NamespaceMode.CONTAINER));
            PodSandboxConfig pod = podBuilder.build();
            Files.createDirectories(Path.of(pod.getLogDirectory()));
            String podId = pods.run(pod);
            try {
                // no command: the image's entrypoint (the JRE's java -jar the operator); args replace its Cmd
                String containerId = pods.createAndStart(
                        podId,
                        pod,
                        pods.container("operator", reference).addArgs("--help").build());
                ContainerStatus status = pods.awaitExit(containerId, 60);

                String log = Files.readString(Path.of(pod.getLogDirectory(), "operator.log"));
                assertThat(status.getState()).isEqualTo(ContainerState.CONTAINER_EXITED);
                assertThat(status.getExitCode()).as("exit code; log:%n%s", log).isZero();
                assertThat(log).contains("stdout F usage: berth-operator operator|node-agent [flags]");
                assertThat(log).contains("--lease-name NAME");
            } finally {
                cri.stopAndRemovePodSandbox(podId);
            }
        }
    }
}
