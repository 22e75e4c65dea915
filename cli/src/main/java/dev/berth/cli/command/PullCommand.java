package dev.berth.cli.command;

import dev.berth.cli.Berth;
import dev.berth.cli.CommandDefinition;
import dev.berth.cli.cri.Cri;
import dev.berth.cli.image.ImageInfo;
import dev.berth.cli.image.Puller;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

public final class PullCommand implements Callable<Integer> {

    private final Berth berth;
    private boolean quiet;
    private String image;

    public PullCommand(Berth berth) {
        this.berth = berth;
    }

    public CommandSpec spec() {
        return CommandDefinition.of(this, "pull", "Pull an image from a registry")
                .flag("-q,--quiet", "Print only the image's name", v -> quiet = v)
                .positional("0", "IMAGE", "repository[:tag] or repository@digest", v -> image = v)
                .spec();
    }

    @Override
    public Integer call() {
        try (Cri cri = berth.connect()) {
            Puller puller =
                    quiet ? Puller.quiet(cri, new PrintStream(OutputStream.nullOutputStream())) : Puller.onStdout(cri);
            ImageInfo info = puller.pull(image);
            System.out.println(
                    info.image().getRepoTagsCount() > 0
                            ? info.image().getRepoTags(0)
                            : info.image().getId());
            return 0;
        }
    }
}
