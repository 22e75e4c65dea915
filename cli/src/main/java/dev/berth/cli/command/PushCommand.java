package dev.berth.cli.command;

import dev.berth.cli.Berth;
import dev.berth.cli.CliException;
import dev.berth.cli.cri.Cri;
import dev.berth.cli.image.ImageRef;
import dev.berth.cli.image.Pusher;
import dev.berth.cli.image.RegistryAuth;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** docker push: a tag of an image the runtime holds, to its registry (see {@link Pusher} for the lines). */
@Command(name = "push", description = "Push an image to a registry")
public final class PushCommand implements Callable<Integer> {

    @ParentCommand
    private Berth berth;

    @Option(
            names = {"-q", "--quiet"},
            description = "Print only the pushed digest")
    private boolean quiet;

    @Option(
            names = "--authfile",
            paramLabel = "FILE",
            description = "Credentials file in docker's config.json form (default: ~/.docker/config.json)")
    private Path authfile;

    @Option(
            names = "--creds",
            paramLabel = "USER:PASSWORD",
            description = "Credentials for the registry, instead of the auth file")
    private String creds;

    @Parameters(paramLabel = "NAME[:TAG]", description = "The image's name in the registry to push to")
    private String image;

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
