package dev.berth.cri;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cri.v1.CgroupDriver;
import dev.berth.cri.v1.RunPodSandboxRequest;
import dev.berth.cri.v1.RuntimeCondition;
import dev.berth.cri.v1.RuntimeConfigRequest;
import dev.berth.cri.v1.StatusRequest;
import dev.berth.cri.v1.VersionRequest;
import dev.berth.cri.v1.VersionResponse;
import dev.berth.testing.DaemonFixture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RuntimeServiceRpcTest {

    private static DaemonFixture daemon;

    @BeforeAll
    static void start() throws Exception {
        daemon = DaemonFixture.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void versionNamesBerthAndCriV1() {
        VersionResponse version = daemon.runtime()
                .version(VersionRequest.newBuilder().setVersion("v1").build());

        assertThat(version.getRuntimeName()).isEqualTo("berth");
        assertThat(version.getRuntimeApiVersion()).isEqualTo("v1");
        assertThat(version.getVersion()).isEqualTo("0.1.0");
        // kubelet shows it as berth://<runtime_version>: the build's project version, not a placeholder
        assertThat(version.getRuntimeVersion()).isEqualTo(System.getProperty("berth.project.version"));
    }

    @Test
    void statusReportsRuntimeAndNetworkConditionsWithReasonsWhenNotReady() {
        var conditions = daemon.runtime()
                .status(StatusRequest.getDefaultInstance())
                .getStatus()
                .getConditionsList();

        assertThat(conditions).extracting(RuntimeCondition::getType).containsExactly("RuntimeReady", "NetworkReady");
        for (RuntimeCondition condition : conditions) {
            if (!condition.getStatus()) {
                assertThat(condition.getReason()).isNotBlank();
                assertThat(condition.getMessage()).contains("install");
            }
        }
        boolean runcInstalled = Files.isExecutable(java.nio.file.Path.of("/usr/sbin/runc"))
                || Files.isExecutable(java.nio.file.Path.of("/usr/bin/runc"));
        boolean conmonInstalled = Files.isExecutable(java.nio.file.Path.of("/usr/bin/conmon"));
        assertThat(conditions.get(0).getStatus()).isEqualTo(runcInstalled && conmonInstalled);
        boolean bridgeInstalled = Files.isExecutable(java.nio.file.Path.of("/usr/lib/cni/bridge"))
                || Files.isExecutable(java.nio.file.Path.of("/opt/cni/bin/bridge"));
        assertThat(conditions.get(1).getStatus()).isEqualTo(bridgeInstalled);
    }

    @Test
    void runtimeConfigSaysCgroupfs() {
        assertThat(daemon.runtime()
                        .runtimeConfig(RuntimeConfigRequest.getDefaultInstance())
                        .getLinux()
                        .getCgroupDriver())
                .isEqualTo(CgroupDriver.CGROUPFS);
    }

    @Test
    void runPodSandboxWithoutMetadataIsInvalidArgument() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> daemon.runtime().runPodSandbox(RunPodSandboxRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void streamingCallsOnUnknownObjectsAnswerNotFound() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> daemon.runtime()
                        .exec(dev.berth.cri.v1.ExecRequest.newBuilder()
                                .setContainerId("x")
                                .addCmd("sh")
                                .setStdout(true)
                                .build()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> daemon.runtime()
                        .attach(dev.berth.cri.v1.AttachRequest.newBuilder()
                                .setContainerId("x")
                                .setStdout(true)
                                .build()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> daemon.runtime()
                        .portForward(dev.berth.cri.v1.PortForwardRequest.newBuilder()
                                .setPodSandboxId("x")
                                .addPort(80)
                                .build()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void statusListsTheRuntimeHandlers() {
        assertThat(daemon.runtime().status(StatusRequest.getDefaultInstance()).getRuntimeHandlersList())
                .extracting(dev.berth.cri.v1.RuntimeHandler::getName)
                .containsExactly("", "runc");
    }

    @Test
    void statusAnnouncesWhatTheRuntimeSupports() {
        var response = daemon.runtime().status(StatusRequest.getDefaultInstance());

        assertThat(response.getFeatures().getSupplementalGroupsPolicy()).isTrue();
        assertThat(response.getFeatures().getUserNamespacesHostNetwork()).isFalse();
        // runc 1.1's `runc features` lists rro; no handler here runs user namespaces
        assertThat(response.getRuntimeHandlersList()).isNotEmpty().allSatisfy(handler -> {
            assertThat(handler.getFeatures().getRecursiveReadOnlyMounts())
                    .as(handler.getName())
                    .isTrue();
            assertThat(handler.getFeatures().getUserNamespaces())
                    .as(handler.getName())
                    .isFalse();
        });
    }

    @Test
    void socketIsReadableAndWritableByRootOnly() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(daemon.socket())))
                .isEqualTo("rw-rw----");
    }
}
