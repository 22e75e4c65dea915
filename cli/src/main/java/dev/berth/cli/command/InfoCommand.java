package dev.berth.cli.command;

import dev.berth.cli.Berth;
import dev.berth.cli.CommandDefinition;
import dev.berth.cli.cri.Cri;
import dev.berth.cli.format.Units;
import dev.berth.cri.v1.Container;
import dev.berth.cri.v1.ContainerState;
import dev.berth.cri.v1.FilesystemUsage;
import dev.berth.cri.v1.ImageFsInfoRequest;
import dev.berth.cri.v1.ImageFsInfoResponse;
import dev.berth.cri.v1.ListContainersRequest;
import dev.berth.cri.v1.ListImagesRequest;
import dev.berth.cri.v1.ListPodSandboxRequest;
import dev.berth.cri.v1.RuntimeCondition;
import dev.berth.cri.v1.StatusRequest;
import dev.berth.cri.v1.StatusResponse;
import dev.berth.cri.v1.VersionRequest;
import dev.berth.cri.v1.VersionResponse;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

public final class InfoCommand implements Callable<Integer> {

    private final Berth berth;

    public InfoCommand(Berth berth) {
        this.berth = berth;
    }

    public CommandSpec spec() {
        return CommandDefinition.of(this, "info", "Show the runtime's state: containers, images, readiness, storage")
                .spec();
    }

    @Override
    public Integer call() {
        try (Cri cri = berth.connect()) {
            VersionResponse version =
                    cri.call("version", () -> cri.runtime().version(VersionRequest.getDefaultInstance()));
            StatusResponse status = cri.call(
                    "status",
                    () -> cri.runtime()
                            .status(StatusRequest.newBuilder().setVerbose(true).build()));
            List<Container> containers = cri.call(
                            "list containers",
                            () -> cri.runtime().listContainers(ListContainersRequest.getDefaultInstance()))
                    .getContainersList();
            int pods = cri.call(
                            "list pods", () -> cri.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance()))
                    .getItemsCount();
            int images = cri.call("list images", () -> cri.images().listImages(ListImagesRequest.getDefaultInstance()))
                    .getImagesCount();
            ImageFsInfoResponse fs = cri.call(
                    "image filesystem", () -> cri.images().imageFsInfo(ImageFsInfoRequest.getDefaultInstance()));
            System.out.println("Containers: " + containers.size());
            System.out.println(" Running: " + count(containers, ContainerState.CONTAINER_RUNNING));
            System.out.println(" Created: " + count(containers, ContainerState.CONTAINER_CREATED));
            System.out.println(" Exited: " + count(containers, ContainerState.CONTAINER_EXITED));
            System.out.println("Pod sandboxes: " + pods);
            System.out.println("Images: " + images);
            System.out.println("Runtime: " + version.getRuntimeName() + " " + version.getRuntimeVersion() + " (CRI "
                    + version.getRuntimeApiVersion() + ")");
            System.out.println("Endpoint: " + cri.endpoint().uri());
            for (RuntimeCondition condition : status.getStatus().getConditionsList()) {
                System.out.println(" " + condition.getType() + ": " + condition.getStatus()
                        + (condition.getMessage().isEmpty() ? "" : " (" + condition.getMessage() + ")"));
            }
            if (status.getRuntimeHandlersCount() > 0) {
                System.out.println("Runtime handlers: "
                        + String.join(
                                ", ",
                                status.getRuntimeHandlersList().stream()
                                        .map(h -> h.getName().isEmpty() ? "(default)" : h.getName())
                                        .toList()));
            }
            for (FilesystemUsage usage : fs.getImageFilesystemsList()) {
                System.out.println("Image filesystem: " + usage.getFsId().getMountpoint() + ", "
                        + Units.size(usage.getUsedBytes().getValue()) + " used");
            }
            return 0;
        }
    }

    private static long count(List<Container> containers, ContainerState state) {
        return containers.stream().filter(c -> c.getState() == state).count();
    }
}
