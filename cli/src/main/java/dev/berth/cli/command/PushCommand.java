package dev.berth.cli.command;

import dev.berth.cli.Berth;
import dev.berth.cli.CliException;
import dev.berth.cli.CommandDefinition;
import dev.berth.cli.cri.Cri;
import dev.berth.cli.image.ImageRef;
import dev.berth.cli.image.Pusher;
import dev.berth.cli.image.RegistryAuth;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** docker push: a tag of an image the runtime holds, to its registry (see {@link Pusher} for the lines). */
public final class PushCommand implements Callable<Integer> {

    private final Berth berth;
    private boolean quiet;
    private Path authfile;
    private String creds;
    private String image;

    public PushCommand(Berth berth) {
        this.berth = berth;
    }

    public CommandSpec spec() {
        return CommandDefinition.of(this, "push", "Push an image to a registry")
                .flag("-q,--quiet", "Print only the pushed digest", v -> quiet = v)
                .option(
                        "--authfile",
                        "FILE",
                        "Credentials file in docker's config.json form (default: ~/.docker/config.json)",
                        Path.class,
                        v -> authfile = v)
                .option(
                        "--creds",
                        "USER:PASSWORD",
                        "Credentials for the registry, instead of the auth file",
                        v -> creds = v)
                .positional("0", "NAME[:TAG]", "The image's name in the registry to push to", v -> image = v)
                .spec();
    }

    @Override
    public Integer call() {
        ImageRef ref = ImageRef.parse(image);
        if (!ref.digest().isEmpty()) {
            throw new CliException("push " + image + ": push a tag, not a digest");
        }
        PrintStream out = System.out;
        String named = ref.tag().isEmpty() ? image + ":latest" : image;
        if (ref.tag().isEmpty() && !quiet) {
            out.println("Using default tag: latest");
        }
        try (Cri cri = berth.connect()) {
            new Pusher(cri, out, quiet).push(named, RegistryAuth.forImage(named, creds, authfile, System.getenv()));
            return 0;
        }
    }
}
