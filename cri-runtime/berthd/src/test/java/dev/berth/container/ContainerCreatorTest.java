package dev.berth.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cri.v1.ContainerConfig;
import dev.berth.cri.v1.ContainerMetadata;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.Signal;
import dev.berth.runtime.OciRuntimeException;
import dev.berth.store.ConflictException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CreateContainer's own logic over fakes: what it makes, and that a failure leaves nothing behind. */
class ContainerCreatorTest {

    @TempDir
    Path dir;

    private ContainerUnitBed bed;
    private Path logDir;

    @BeforeEach
    void setUp() throws IOException {
        bed = new ContainerUnitBed(dir);
        logDir = dir.resolve("pods/default_web_uid1");
    }

    private static ContainerConfig config(String name, int attempt, String logPath) {
        return ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(name).setAttempt(attempt))
                .setImage(ImageSpec.newBuilder().setImage("busybox"))
                .setLogPath(logPath)
                .build();
    }

    private PodSandboxConfig podConfig() {
        return PodSandboxConfig.newBuilder().setLogDirectory(logDir.toString()).build();
    }

    @Test
    void createMountsTheRootfsHoldsTheLayersAndLaunchesConmonWithTheKubeletLogPath() throws Exception {
        ContainerRecord created = bed.creator.create("pod1", config("app", 0, "app/0.log"), podConfig());

        assertThat(created.state()).isEqualTo(ContainerState.CREATED);
        assertThat(created.cgroupPath()).isEqualTo("/berth/pod1/" + created.id());
        assertThat(bed.store.get(created.id())).contains(created);
        assertThat(bed.mounts.mounted).containsExactly(bed.paths.rootfs(created.id()));
        assertThat(bed.layerLeased()).isTrue();
        assertThat(bed.monitor.launches)
                .singleElement()
                .satisfies(launch -> assertThat(launch.logPath()).isEqualTo(logDir.resolve("app/0.log")));
        assertThat(Files.exists(bed.paths.bundle(created.id()).resolve("config.json")))
                .isTrue();
    }

    @Test
    void aFailedRuntimeCreateRollsBackTheMountTheLeaseAndTheRecord() {
        bed.monitor.failCreate = "container_linux.go: starting container process caused: exec: \"sh\": not found";

        assertThatThrownBy(() -> bed.creator.create("pod1", config("app", 0, "app/0.log"), podConfig()))
                .isInstanceOf(OciRuntimeException.class)
                .hasMessageContaining("not found");

        assertThat(bed.store.all()).isEmpty();
        assertThat(bed.mounts.mounted).isEmpty();
        assertThat(bed.layerLeased()).isFalse();
        String id = bed.monitor.launches.getFirst().containerId();
        assertThat(bed.runtime.calls).contains("delete " + id);
        assertThat(bed.paths.bundle(id)).doesNotExist();
        assertThat(bed.paths.writable(id)).doesNotExist();
    }

    @Test
    void aNameAlreadyUsedInThePodIsAlreadyExistsAndMakesNothing() throws Exception {
        ContainerRecord first = bed.creator.create("pod1", config("app", 0, ""), podConfig());

        assertThatThrownBy(() -> bed.creator.create("pod1", config("app", 0, ""), podConfig()))
                .isInstanceOfSatisfying(
                        ConflictException.class,
                        e -> assertThat(e.kind()).isEqualTo(ConflictException.Kind.ALREADY_EXISTS))
                .hasMessageContaining(first.id());

        assertThat(bed.store.all()).containsExactly(first);
        assertThat(bed.monitor.launches).hasSize(1);
        assertThat(bed.mounts.mounted).containsExactly(bed.paths.rootfs(first.id()));
    }

    @Test
    void theSameNameWithTheNextAttemptIsANewContainer() throws Exception {
        bed.creator.create("pod1", config("app", 0, ""), podConfig());

        ContainerRecord restarted = bed.creator.create("pod1", config("app", 1, ""), podConfig());

        assertThat(restarted.metadata().attempt()).isEqualTo(1);
        assertThat(bed.store.all()).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escape.log", "app/../../escape.log", "/etc/cron.d/evil", "."})
    void aLogPathOutsideThePodsLogDirectoryIsRefusedAndMakesNothing(String logPath) {
        assertThatThrownBy(() -> bed.creator.create("pod1", config("app", 0, logPath), podConfig()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("log_path");

        assertThat(bed.store.all()).isEmpty();
        assertThat(bed.monitor.launches).isEmpty();
        assertThat(bed.mounts.mounted).isEmpty();
        assertThat(bed.layerLeased()).isFalse();
    }

    @Test
    void withoutALogPathTheLogStaysInTheBundle() throws Exception {
        ContainerRecord created = bed.creator.create("pod1", config("app", 0, ""), podConfig());

        assertThat(created.metadata().logPath())
                .isEqualTo(
                        bed.paths.bundle(created.id()).resolve("container.log").toString());
    }

    @Test
    void theStopSignalIsTheImagesUnlessTheConfigNamesOne() throws Exception {
        bed.imageStopSignal = "SIGQUIT";
        ContainerRecord fromImage = bed.creator.create("pod1", config("a", 0, ""), podConfig());
        ContainerRecord fromConfig = bed.creator.create(
                "pod1",
                config("b", 0, "").toBuilder().setStopSignal(Signal.SIGUSR1).build(),
                podConfig());
        bed.imageStopSignal = "";
        ContainerRecord byDefault = bed.creator.create("pod1", config("c", 0, ""), podConfig());

        assertThat(fromImage.metadata().stopSignal()).isEqualTo(3);
        assertThat(fromConfig.metadata().stopSignal()).isEqualTo(10);
        assertThat(byDefault.metadata().stopSignal()).isEqualTo(15);
    }

    @Test
    void anUnknownImageIsNotFoundAndMakesNothing() {
        ContainerConfig missing = config("app", 0, "").toBuilder()
                .setImage(ImageSpec.newBuilder().setImage("nginx"))
                .build();

        assertThatThrownBy(() -> bed.creator.create("pod1", missing, podConfig()))
                .isInstanceOf(dev.berth.store.NotFoundException.class);
        assertThat(bed.store.all()).isEmpty();
    }
}
