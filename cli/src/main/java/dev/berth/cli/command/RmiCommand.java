package dev.berth.cli.command;

import dev.berth.cli.Berth;
import dev.berth.cli.CliException;
import dev.berth.cli.CommandDefinition;
import dev.berth.cli.cri.Cri;
import dev.berth.cli.image.ImageInfo;
import dev.berth.cri.v1.Container;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.ListContainersRequest;
import dev.berth.cri.v1.RemoveImageRequest;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

public final class RmiCommand implements Callable<Integer> {

    private final Berth berth;
    private boolean force;
    private List<String> images;

    public RmiCommand(Berth berth) {
        this.berth = berth;
    }

    public CommandSpec spec() {
        return CommandDefinition.of(this, "rmi", "Remove one or more images")
                .flag("-f,--force", "Remove the image even when containers use it", v -> force = v)
                .positionals("0..*", "1..*", "IMAGE", "Image names or IDs", v -> images = v)
                .spec();
    }

    @Override
    public Integer call() {
        int code = 0;
        try (Cri cri = berth.connect()) {
            for (String reference : images) {
                try {
                    remove(cri, reference);
                } catch (CliException e) {
                    System.err.println("berth: " + e.getMessage());
                    code = 1;
                }
            }
        }
        return code;
    }

    private void remove(Cri cri, String reference) {
        ImageInfo info =
                ImageInfo.find(cri, reference).orElseThrow(() -> new CliException("No such image: " + reference));
        String id = info.image().getId();
        if (!force) {
            Optional<Container> user = cri
                    .call(
                            "list containers",
                            () -> cri.runtime().listContainers(ListContainersRequest.getDefaultInstance()))
                    .getContainersList()
                    .stream()
                    .filter(c -> uses(c, info))
                    .findFirst();
            if (user.isPresent()) {
                throw new CliException("conflict: unable to remove image " + reference + " (must force): container "
                        + user.get().getId().substring(0, 12) + " uses it");
            }
        }
        cri.call(
                "remove image " + reference,
                () -> cri.images()
                        .removeImage(RemoveImageRequest.newBuilder()
                                .setImage(ImageSpec.newBuilder().setImage(id))
                                .build()));
        info.image().getRepoTagsList().forEach(tag -> System.out.println("Untagged: " + tag));
        System.out.println("Deleted: " + id);
    }

    private static boolean uses(Container container, ImageInfo info) {
        String id = info.image().getId();
        List<String> names = info.image().getRepoTagsList();
        return id.equals(container.getImageRef())
                || id.equals(container.getImageId())
                || id.equals(container.getImage().getImage())
                || names.contains(container.getImage().getImage())
                || info.image().getRepoDigestsList().contains(container.getImageRef());
    }
}
