package dev.berth.e2e.bench;

import dev.berth.cri.v1.Container;
import dev.berth.cri.v1.ContainerConfig;
import dev.berth.cri.v1.CreateContainerRequest;
import dev.berth.cri.v1.ImageServiceGrpc;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.ListContainersRequest;
import dev.berth.cri.v1.ListPodSandboxRequest;
import dev.berth.cri.v1.PodSandbox;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.PullImageRequest;
import dev.berth.cri.v1.RemoveImageRequest;
import dev.berth.cri.v1.RemovePodSandboxRequest;
import dev.berth.cri.v1.RunPodSandboxRequest;
import dev.berth.cri.v1.RuntimeServiceGrpc;
import dev.berth.cri.v1.StartContainerRequest;
import dev.berth.cri.v1.StopPodSandboxRequest;
import dev.berth.cri.v1.VersionRequest;
import dev.berth.cri.v1.VersionResponse;
import dev.berth.testkit.cri.CriChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A CRI runtime.v1 client on a unix socket ({@link CriChannel}, as kubelet connects), a deadline on every call. Speaks to any CRI runtime, so berthd and containerd are timed
 * through exactly the same client code.
 */
public final class CriClient implements AutoCloseable {

    private static final int MAX_MESSAGE_BYTES = CriChannel.MAX_MESSAGE_BYTES;
    private static final long CALL_DEADLINE_SECONDS = 60;
    private static final long PULL_DEADLINE_SECONDS = 300;

    private final CriChannel channel;

    private CriClient(Path socket) {
        this.channel = CriChannel.connect(socket);
    }

    /** Connects lazily: the first call fails with UNAVAILABLE if nothing listens on {@code socket}. */
    public static CriClient connect(Path socket) {
        return new CriClient(socket);
    }

    public Path socket() {
        return channel.socket();
    }

    public RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime() {
        return RuntimeServiceGrpc.newBlockingStub(channel.channel())
                .withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
                .withMaxOutboundMessageSize(MAX_MESSAGE_BYTES);
    }

    public ImageServiceGrpc.ImageServiceBlockingStub images() {
        return ImageServiceGrpc.newBlockingStub(channel.channel())
                .withDeadlineAfter(PULL_DEADLINE_SECONDS, TimeUnit.SECONDS)
                .withMaxOutboundMessageSize(MAX_MESSAGE_BYTES);
    }

    public VersionResponse version() {
        return runtime().version(VersionRequest.newBuilder().setVersion("v1").build());
    }

    /** Pulls {@code reference}; returns the image ref the runtime answers (its image ID). */
    public String pullImage(String reference) {
        return images().pullImage(PullImageRequest.newBuilder()
                        .setImage(ImageSpec.newBuilder().setImage(reference))
                        .build())
                .getImageRef();
    }

    public void removeImage(String reference) {
        images().removeImage(RemoveImageRequest.newBuilder()
                .setImage(ImageSpec.newBuilder().setImage(reference))
                .build());
    }

    /** RunPodSandbox with the default runtime handler; returns the sandbox ID. */
    public String runPodSandbox(PodSandboxConfig config) {
        return runtime()
                .runPodSandbox(
                        RunPodSandboxRequest.newBuilder().setConfig(config).build())
                .getPodSandboxId();
    }

    /** CreateContainer in {@code podId}; returns the container ID. */
    public String createContainer(String podId, ContainerConfig config, PodSandboxConfig sandboxConfig) {
        return runtime()
                .createContainer(CreateContainerRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .setConfig(config)
                        .setSandboxConfig(sandboxConfig)
                        .build())
                .getContainerId();
    }

    public void startContainer(String containerId) {
        runtime()
                .startContainer(StartContainerRequest.newBuilder()
                        .setContainerId(containerId)
                        .build());
    }

    /** What kubelet does to delete a pod: stop the sandbox (and its containers), then remove it. */
    public void stopAndRemovePodSandbox(String podId) {
        runtime()
                .stopPodSandbox(StopPodSandboxRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .build());
        runtime()
                .removePodSandbox(RemovePodSandboxRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .build());
    }

    public List<Container> listContainers() {
        return runtime()
                .listContainers(ListContainersRequest.getDefaultInstance())
                .getContainersList();
    }

    public List<PodSandbox> listPodSandboxes() {
        return runtime()
                .listPodSandbox(ListPodSandboxRequest.getDefaultInstance())
                .getItemsList();
    }

    @Override
    public void close() {
        channel.close();
    }
}
