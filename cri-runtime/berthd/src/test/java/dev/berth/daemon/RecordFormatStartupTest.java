package dev.berth.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cri.v1.ContainerState;
import dev.berth.cri.v1.ContainerStatus;
import dev.berth.cri.v1.ContainerStatusRequest;
import dev.berth.cri.v1.ListContainersRequest;
import dev.berth.cri.v1.MountPropagation;
import dev.berth.cri.v1.NamespaceMode;
import dev.berth.cri.v1.PodSandboxStatus;
import dev.berth.cri.v1.PodSandboxStatusRequest;
import dev.berth.store.Directories;
import dev.berth.store.UnreadableRecordException;
import dev.berth.testing.DaemonFixture;
import dev.berth.testing.PodNetworkFixture;
import dev.berth.testkit.Privileges;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * berthd started on records it finds on disk: those the last release wrote (unversioned) are served as before;
 * one it cannot read stops start-up with the file named, since skipping it would orphan what it describes.
 */
class RecordFormatStartupTest {

    private Path base;

    @BeforeEach
    void setUp() throws IOException {
        Privileges.requireRoot();
        base = Files.createTempDirectory("berthd-records-");
    }

    @AfterEach
    void tearDown() throws IOException {
        if (base != null && Files.exists(base)) {
            Directories.deleteRecursively(base);
        }
    }

    private Path root() {
        return base.resolve("root");
    }

    private void place(String sample, String kind, String id) throws IOException {
        Path target = root().resolve(kind).resolve(id + ".json");
        Files.createDirectories(target.getParent());
        try (InputStream in = getClass().getResourceAsStream("/records/unversioned/" + sample + ".json")) {
            Files.copy(in, target);
        }
    }

    private BerthConfig config() {
        return DaemonFixture.config(base, Map.of(), PodNetworkFixture.random(base));
    }

    @Test
    void recordsOfTheLastReleaseAreServedAsBefore() throws Exception {
        place("container-exited", "containers", "c0ffee01");
        place("sandbox-host-network-stopped", "sandboxes", "feed0002");

        try (DaemonFixture daemon = DaemonFixture.startIn(base, Map.of())) {
            ContainerStatus status = daemon.runtime()
                    .containerStatus(ContainerStatusRequest.newBuilder()
                            .setContainerId("c0ffee01")
                            .build())
                    .getStatus();
            assertThat(status.getState()).isEqualTo(ContainerState.CONTAINER_EXITED);
            assertThat(status.getExitCode()).isEqualTo(137);
            assertThat(status.getReason()).isEqualTo("OOMKilled");
            assertThat(status.getImage().getImage()).isEqualTo("registry.test/web:1");
            assertThat(status.getImage().getUserSpecifiedImage()).isEqualTo("registry.test/web:1");
            assertThat(status.getMountsList())
                    .extracting(m -> m.getContainerPath() + " " + m.getPropagation())
                    .containsExactly(
                            "/data " + MountPropagation.PROPAGATION_HOST_TO_CONTAINER,
                            "/etc/hosts " + MountPropagation.PROPAGATION_PRIVATE);
            assertThat(status.getResources().getLinux().getCpuShares()).isEqualTo(512);
            assertThat(status.getResources().getLinux().getOomScoreAdj()).isEqualTo(980);
            assertThat(status.getUser().getLinux().getUid()).isEqualTo(1000);
            assertThat(daemon.runtime()
                            .listContainers(ListContainersRequest.getDefaultInstance())
                            .getContainersList())
                    .extracting(c -> c.getId())
                    .containsExactly("c0ffee01");

            PodSandboxStatus pod = daemon.runtime()
                    .podSandboxStatus(PodSandboxStatusRequest.newBuilder()
                            .setPodSandboxId("feed0002")
                            .build())
                    .getStatus();
            assertThat(pod.getMetadata().getNamespace()).isEqualTo("kube-system");
            assertThat(pod.getLinux().getNamespaces().getOptions().getNetwork()).isEqualTo(NamespaceMode.NODE);
            assertThat(pod.getLinux().getNamespaces().getOptions().getPid()).isEqualTo(NamespaceMode.CONTAINER);
        }
    }

    @Test
    void aContainerRecordOfANewerFormatStopsStartUpNamingTheFile() throws Exception {
        Path file = root().resolve("containers").resolve("c0ffee02.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"version\":2,\"metadata\":{\"id\":\"c0ffee02\"}}");
        BerthConfig config = config();

        assertThatThrownBy(() -> BerthDaemon.start(config).close())
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("format version 2");
    }

    @Test
    void anUnparsableSandboxRecordStopsStartUpNamingTheFile() throws Exception {
        Path file = root().resolve("sandboxes").resolve("feed0003.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"version\":1,\"metadata\":{\"id\":\"fe");
        BerthConfig config = config();

        assertThatThrownBy(() -> BerthDaemon.start(config).close())
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not JSON");
    }
}
