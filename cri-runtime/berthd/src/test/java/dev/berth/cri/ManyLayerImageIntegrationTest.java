package dev.berth.cri;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cri.v1.ContainerStatus;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.testing.DaemonFixture;
import dev.berth.testing.ManyLayerImage;
import dev.berth.testing.PodClient;
import dev.berth.testing.PodTestBedExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An image of 128 layers (containerd's bound), far past what one page of overlay mount options holds,
 * pulled from a real registry and run by a real berthd; its first layer has /early, which the last one
 * whites out.
 */
class ManyLayerImageIntegrationTest {

    private static final int LAYERS = 128;

    @RegisterExtension
    static final PodTestBedExtension bed = new PodTestBedExtension("berthlayers");

    private final DaemonFixture daemon = bed.daemon();
    private final PodClient pods = bed.pods();
    private static String image;

    @BeforeAll
    static void pushImage() throws Exception {
        image = bed.pushAndPull("test/many-layers", ManyLayerImage.of(LAYERS));
    }

    @Test
    void containerOfA128LayerImageSeesEveryLayerAndTheLateWhiteout() throws Exception {
        PodSandboxConfig pod = pods.pod("layers").build();
        String podId = pods.run(pod);
        String container = pods.createAndStart(
                podId,
                pod,
                pods.container(
                                "ls",
                                image,
                                "sh",
                                "-c",
                                "ls / | grep -c layer- ; test -e /early && echo early-visible || echo early-hidden")
                        .build());

        ContainerStatus status = pods.awaitExit(container, 30);

        assertThat(status.getExitCode()).isZero();
        assertThat(Files.readString(Path.of(status.getLogPath())))
                .contains("stdout F " + LAYERS + "\n", "stdout F early-hidden");
    }

    @Test
    void rootfsOfA128LayerImageIsAnOverlayMountAndGoesWithTheContainer() throws Exception {
        PodSandboxConfig pod = pods.pod("mounted").build();
        String podId = pods.run(pod);
        String container = pods.createAndStart(
                podId, pod, pods.container("sleep", image, "sleep", "1000").build());

        List<String> overlays = overlayMountsUnder(daemon.base());
        assertThat(overlays)
                .anySatisfy(line -> assertThat(line)
                        .contains(container)
                        .contains(" - overlay overlay ")
                        .contains("lowerdir+="));
        assertThat(pods.execSync(container, "cat", "/layer-" + LAYERS)).isEqualTo("layer " + LAYERS + "\n");

        daemon.removeAllPods();

        assertThat(overlayMountsUnder(daemon.base())).noneMatch(line -> line.contains(container));
    }

    private static List<String> overlayMountsUnder(Path base) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(line -> line.split(" ")[4].startsWith(base.toString()))
                .filter(line -> line.contains(" - overlay "))
                .toList();
    }
}
