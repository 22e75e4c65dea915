package dev.berth.cli.command;

import dev.berth.cli.Berth;
import dev.berth.cli.cri.Cri;
import dev.berth.cli.image.ImageInfo;
import dev.berth.cli.image.Puller;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "pull", description = "Pull an image from a registry")
public final class PullCommand implements Callable<Integer> {

    @ParentCommand
    private Berth berth;

    @Option(
            names = {"-q", "--quiet"},
            description = "Print only the image's name")
    private boolean quiet;

    @Parameters(paramLabel = "IMAGE", description = "repository[:tag] or repository@digest")
    private String image;

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
