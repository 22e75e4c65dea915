package dev.berth.cli.command;

import dev.berth.api.v1.PushProgress;
import dev.berth.api.v1.PushRequest;
import dev.berth.cli.Berth;
import dev.berth.cli.CliException;
import dev.berth.cli.cri.Cri;
import dev.berth.cli.image.ImageInfo;
import dev.berth.cli.image.ImageRef;
import dev.berth.cli.image.RegistryAuth;
import io.grpc.StatusRuntimeException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** docker push's plain (piped) lines: one per layer as it finishes, then the tag's digest and size. */
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
            String configDigest = ImageInfo.find(cri, named)
                    .map(info -> info.image().getId())
                    .orElseThrow(() -> new CliException("push " + named + ": no such image: " + named));
            if (!quiet) {
                out.println("The push refers to repository [" + ref.repository() + "]");
            }
            PushRequest request = PushRequest.newBuilder()
                    .setImage(named)
                    .setAuth(RegistryAuth.forImage(named, creds, authfile, System.getenv()))
                    .build();
            try {
                Iterator<PushProgress> progress = cri.pushes().push(request);
                while (progress.hasNext()) {
                    PushProgress step = progress.next();
                    String line = line(step, configDigest);
                    if (step.getState() == PushProgress.State.MANIFEST && quiet) {
                        out.println(step.getDigest());
                    } else if (line != null && !quiet) {
                        out.println(line);
                    }
                    out.flush();
                }
            } catch (StatusRuntimeException e) {
                throw cri.failure("push " + named, e);
            }
            return 0;
        }
    }

    /** docker's words for a finished step; none for progress within a blob, nor for the image config. */
    private static String line(PushProgress step, String configDigest) {
        String id = ImageInfo.shortId(step.getDigest());
        if (step.getState() != PushProgress.State.MANIFEST && step.getDigest().equals(configDigest)) {
            return null;
        }
        return switch (step.getState()) {
            case EXISTS -> id + ": Layer already exists";
            case MOUNTED -> id + ": Mounted from " + step.getMountedFrom();
            case PUSHED -> id + ": Pushed";
            case MANIFEST -> step.getReference() + ": digest: " + step.getDigest() + " size: " + step.getSize();
            case UPLOADING, STATE_UNSPECIFIED, UNRECOGNIZED -> null;
        };
    }
}
