package dev.berth.cli.command;

import dev.berth.api.v1.TagRequest;
import dev.berth.cli.Berth;
import dev.berth.cli.cri.Cri;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "tag", description = "Give an image another name (SOURCE may be its ID or any of its names)")
public final class TagCommand implements Callable<Integer> {

    @ParentCommand
    private Berth berth;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "Image ID, ID prefix or name")
    private String source;

    @Parameters(index = "1", paramLabel = "TARGET", description = "The new name, repository[:tag]")
    private String target;

    @Override
    public Integer call() {
        try (Cri cri = berth.connect()) {
            cri.call(
                    "tag " + source + " " + target,
                    () -> cri.berthImages()
                            .tag(TagRequest.newBuilder()
                                    .setSource(source)
                                    .setTarget(target)
                                    .build()));
            return 0;
        }
    }
}
