package dev.berth.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cri.v1.Container;
import dev.berth.cri.v1.ContainerConfig;
import dev.berth.cri.v1.ContainerFilter;
import dev.berth.cri.v1.ContainerStatus;
import dev.berth.cri.v1.ExecSyncRequest;
import dev.berth.cri.v1.ExecSyncResponse;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.ImageStatusRequest;
import dev.berth.cri.v1.Int64Value;
import dev.berth.cri.v1.LinuxContainerConfig;
import dev.berth.cri.v1.LinuxContainerSecurityContext;
import dev.berth.cri.v1.ListContainersRequest;
import dev.berth.cri.v1.Mount;
import dev.berth.cri.v1.MountPropagation;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.PodSandboxStatusRequest;
import dev.berth.cri.v1.SecurityProfile;
import dev.berth.cri.v1.StopContainerRequest;
import dev.berth.cri.v1.StopPodSandboxRequest;
import dev.berth.cri.v1.SupplementalGroupsPolicy;
import dev.berth.sys.MountCalls;
import dev.berth.testing.DaemonFixture;
import dev.berth.testing.PodClient;
import dev.berth.testing.PodTestBedExtension;
import dev.berth.testkit.layer.BusyboxImage;
import dev.berth.testkit.layer.LayerTar;
import dev.berth.testkit.registry.TestImage;
import dev.berth.testkit.registry.TestLayer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Where berthd follows the CRI api.proto, critest and kubelet rather than its own reading: ExecSync deadlines and
 * output, user and group resolution, the nil seccomp profile, idempotent stops, image names in status, recursive
 * read-only mounts. Through the real gRPC client against a real daemon, runc and conmon.
 */
class CriConformanceTest {

    private static final String CGROUP_MARKER = "berthconf";

    @RegisterExtension
    static final PodTestBedExtension bed = new PodTestBedExtension(CGROUP_MARKER);

    private final DaemonFixture daemon = bed.daemon();
    private final PodClient pods = bed.pods();
    private final String busybox = bed.busybox();

    private String sleeper(String name, ContainerConfig.Builder config) {
        PodSandboxConfig pod = pods.pod(name).build();
        return pods.createAndStart(pods.run(pod), pod, config.build());
    }

    private ExecSyncResponse exec(String id, long timeout, String... cmd) {
        return daemon.runtime()
                .execSync(ExecSyncRequest.newBuilder()
                        .setContainerId(id)
                        .addAllCmd(List.of(cmd))
                        .setTimeout(timeout)
                        .build());
    }

    private static ContainerConfig.Builder withSecurity(
            ContainerConfig.Builder config, LinuxContainerSecurityContext.Builder sc) {
        return config.setLinux(LinuxContainerConfig.newBuilder().setSecurityContext(sc));
    }

    @Test
    void execSyncPastItsTimeoutAnswersDeadlineExceededAtTheDeadlineAndLeavesNoProcess() {
        String id = sleeper("exec-timeout", pods.container("c", busybox, "tail", "-f", "/dev/null"));

        long start = System.nanoTime();
        assertThatThrownBy(() -> exec(id, 1, "sleep", "4321"))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isBetween(Duration.ofMillis(900), Duration.ofSeconds(4));

        // critest's check (pgrep sleep, which this busybox lacks): the timed-out process is gone, not only runc exec
        ExecSyncResponse left = exec(id, 10, "sh", "-c", "cat /proc/[0-9]*/comm | grep sleep || true");
        assertThat(left.getExitCode()).isZero();
        assertThat(left.getStderr().toStringUtf8()).isEmpty();
        assertThat(left.getStdout().toStringUtf8().strip()).isEmpty();
    }

    @Test
    void execSyncOutputIsBytesAndAHugeTimeoutIsClampedNotAnError() {
        String id = sleeper("exec-bytes", pods.container("c", busybox, "sleep", "1000"));

        ExecSyncResponse response = exec(id, Long.MAX_VALUE, "sh", "-c", "printf '\\377\\000\\351'; printf 'e' >&2");

        assertThat(response.getExitCode()).isZero();
        assertThat(response.getStdout().toByteArray()).containsExactly(0xff, 0x00, 0xe9);
        assertThat(response.getStderr().toStringUtf8()).isEqualTo("e");
    }

    @Test
    void runAsGroupWithoutAUserIsInvalidArgument() {
        PodSandboxConfig pod = pods.pod("group-only").build();
        String podId = pods.run(pod);
        ContainerConfig config = withSecurity(
                        pods.container("c", busybox, "id"),
                        LinuxContainerSecurityContext.newBuilder()
                                .setRunAsGroup(Int64Value.newBuilder().setValue(1000)))
                .build();

        assertThatThrownBy(() -> pods.create(podId, pod, config))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("specified without user");
                });
    }

    @Test
    void aContainerWithoutASeccompProfileRunsUnconfinedAndRuntimeDefaultMustBeAskedFor() {
        String unset = sleeper("seccomp", pods.container("c", busybox, "sleep", "1000"));
        String asked = sleeper(
                "seccomp-default",
                withSecurity(
                        pods.container("c", busybox, "sleep", "1000"),
                        LinuxContainerSecurityContext.newBuilder()
                                .setSeccomp(SecurityProfile.newBuilder()
                                        .setProfileType(SecurityProfile.ProfileType.RuntimeDefault))));

        assertThat(exec(unset, 10, "grep", "Seccomp:", "/proc/self/status")
                        .getStdout()
                        .toStringUtf8())
                .containsPattern("Seccomp:\\s+0");
        assertThat(exec(asked, 10, "grep", "Seccomp:", "/proc/self/status")
                        .getStdout()
                        .toStringUtf8())
                .containsPattern("Seccomp:\\s+2");
    }

    @Test
    void stoppingAnUnknownContainerOrPodSucceedsButTheirStatusIsNotFound() {
        String unknown = "0123456789abcdef0123456789abcdef";
        daemon.runtime()
                .stopContainer(StopContainerRequest.newBuilder()
                        .setContainerId(unknown)
                        .setTimeout(1)
                        .build());
        daemon.runtime()
                .stopPodSandbox(StopPodSandboxRequest.newBuilder()
                        .setPodSandboxId(unknown)
                        .build());

        assertThatThrownBy(() -> pods.status(unknown))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThatThrownBy(() -> daemon.runtime()
                        .podSandboxStatus(PodSandboxStatusRequest.newBuilder()
                                .setPodSandboxId(unknown)
                                .build()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void statusAndListNameTheImageAsThePodAskedForItWithTheDigestReferenceAndImageId() {
        String imageId = daemon.images()
                .imageStatus(ImageStatusRequest.newBuilder()
                        .setImage(ImageSpec.newBuilder().setImage(busybox))
                        .build())
                .getImage()
                .getId();
        PodSandboxConfig pod = pods.pod("image-names").build();
        String podId = pods.run(pod);
        // as kubelet sends it: the image ID in image, the pod spec's name in user_specified_image
        String byId = pods.create(
                podId,
                pod,
                pods.container("by-id", busybox, "true")
                        .setImage(ImageSpec.newBuilder().setImage(imageId).setUserSpecifiedImage(busybox))
                        .build());
        String byName = pods.create(
                podId, pod, pods.container("by-name", busybox, "true").build());

        for (String id : List.of(byId, byName)) {
            ContainerStatus status = pods.status(id);
            assertThat(status.getImage().getImage()).isEqualTo(busybox);
            assertThat(status.getImageRef()).startsWith(busybox.substring(0, busybox.lastIndexOf(':')) + "@sha256:");
            assertThat(status.getImageId()).isEqualTo(imageId);
        }
        List<Container> listed = daemon.runtime()
                .listContainers(ListContainersRequest.newBuilder()
                        .setFilter(ContainerFilter.newBuilder().setPodSandboxId(podId))
                        .build())
                .getContainersList();
        assertThat(listed).hasSize(2).allSatisfy(c -> {
            assertThat(c.getImage().getImage()).isEqualTo(busybox);
            assertThat(c.getImageRef()).contains("@sha256:");
            assertThat(c.getImageId()).isEqualTo(imageId);
        });
    }

    @Test
    void recursiveReadOnlyMountMakesSubMountsReadOnlyToo() throws Exception {
        Path volume = Files.createDirectories(daemon.base().resolve("rro-volume"));
        Path sub = Files.createDirectories(volume.resolve("sub"));
        MountCalls mounts = new MountCalls();
        mounts.mountTmpfs(sub, 1024 * 1024);
        try {
            String id = sleeper(
                    "rro",
                    pods.container("c", busybox, "sleep", "1000")
                            .addMounts(Mount.newBuilder()
                                    .setContainerPath("/rro")
                                    .setHostPath(volume.toString())
                                    .setReadonly(true)
                                    .setRecursiveReadOnly(true)
                                    .setPropagation(MountPropagation.PROPAGATION_PRIVATE))
                            .addMounts(Mount.newBuilder()
                                    .setContainerPath("/ro")
                                    .setHostPath(volume.toString())
                                    .setReadonly(true)));

            ExecSyncResponse recursive = exec(id, 10, "touch", "/rro/sub/file");
            assertThat(recursive.getExitCode()).isNotZero();
            assertThat(recursive.getStderr().toStringUtf8()).contains("Read-only file system");
            // plain read-only is not recursive: the sub-mount stays writable there, which is what rro is for
            assertThat(exec(id, 10, "touch", "/ro/sub/file").getExitCode()).isZero();
        } finally {
            daemon.removeAllPods();
            mounts.unmount(sub);
        }
    }

    @Test
    void recursiveReadOnlyNeedsReadOnlyAndPrivatePropagation() throws Exception {
        Path volume = Files.createDirectories(daemon.base().resolve("rro-invalid"));
        PodSandboxConfig pod = pods.pod("rro-invalid").build();
        String podId = pods.run(pod);
        for (Mount mount : List.of(
                Mount.newBuilder()
                        .setContainerPath("/v")
                        .setHostPath(volume.toString())
                        .setRecursiveReadOnly(true)
                        .setPropagation(MountPropagation.PROPAGATION_PRIVATE)
                        .build(),
                Mount.newBuilder()
                        .setContainerPath("/v")
                        .setHostPath(volume.toString())
                        .setRecursiveReadOnly(true)
                        .setReadonly(true)
                        .setPropagation(MountPropagation.PROPAGATION_HOST_TO_CONTAINER)
                        .build())) {
            assertThatThrownBy(() -> pods.create(
                            podId,
                            pod,
                            pods.container("c", busybox, "true")
                                    .addMounts(mount)
                                    .build()))
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        }
    }

    @Test
    void mergeAddsTheImagesGroupMembershipsStrictOnlyTheRequestedGroups() throws Exception {
        String image = bed.pushAndPull("test/groups", groupsImage());
        var merge = LinuxContainerSecurityContext.newBuilder()
                .setRunAsUsername(BusyboxImage.APP_USER)
                .addSupplementalGroups(5555);
        var strict = merge.clone().setSupplementalGroupsPolicy(SupplementalGroupsPolicy.Strict);
        String merged = sleeper("groups-merge", withSecurity(pods.container("c", image, "sleep", "1000"), merge));
        String strictly = sleeper("groups-strict", withSecurity(pods.container("c", image, "sleep", "1000"), strict));

        assertThat(exec(merged, 10, "id", "-G").getStdout().toStringUtf8().strip())
                .isEqualTo("1000 50 5555");
        assertThat(exec(strictly, 10, "id", "-G").getStdout().toStringUtf8().strip())
                .isEqualTo("1000 5555");
        var mergedUser = pods.status(merged).getUser().getLinux();
        assertThat(mergedUser.getUid()).isEqualTo(1000);
        assertThat(mergedUser.getGid()).isEqualTo(1000);
        assertThat(mergedUser.getSupplementalGroupsList()).containsExactly(1000L, 50L, 5555L);
        assertThat(pods.status(strictly).getUser().getLinux().getSupplementalGroupsList())
                .containsExactly(1000L, 5555L);
    }

    /** busybox with a group "staff" (50) that lists the image's user app. */
    private static TestImage groupsImage() throws Exception {
        byte[] group = LayerTar.create()
                .dir("etc", 0755)
                .file(
                        "etc/group",
                        "root:x:0:\napp:x:1000:\nstaff:x:50:app\nnogroup:x:65534:\n".getBytes(StandardCharsets.UTF_8),
                        0644)
                .build();
        return TestImage.builder()
                .layer(BusyboxImage.fromHost().layerTar(), TestLayer.Compression.GZIP)
                .layer(group, TestLayer.Compression.GZIP)
                .build();
    }
}
