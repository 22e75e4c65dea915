package dev.berth.cli.command;

import dev.berth.api.v1.TagRequest;
import dev.berth.cli.Berth;
import dev.berth.cli.CommandDefinition;
import dev.berth.cli.cri.Cri;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

public final class TagCommand implements Callable<Integer> {

    private final Berth berth;
    private String source;
    private String target;

    public TagCommand(Berth berth) {
        this.berth = berth;
    }

    public CommandSpec spec() {
        return CommandDefinition.of(
                        this, "tag", "Give an image another name (SOURCE may be its ID or any of its names)")
                .positional("0", "SOURCE", "Image ID, ID prefix or name", v -> source = v)
                .positional("1", "TARGET", "The new name, repository[:tag]", v -> target = v)
                .spec();
    }

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
