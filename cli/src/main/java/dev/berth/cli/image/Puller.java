package dev.berth.cli.image;

import dev.berth.api.v1.PullComplete;
import dev.berth.api.v1.PullProgress;
import dev.berth.api.v1.PullRequest;
import dev.berth.cli.CliException;
import dev.berth.cli.cri.Cri;
import dev.berth.cli.sys.Terminal;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.PullImageRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintStream;
import java.util.Iterator;
import java.util.Optional;

/**
 * Pulls an image and tells what happened as docker does: through berthd's {@code berth.v1} pull stream, live per
 * layer on a terminal and a line per layer state in a pipe; through CRI's PullImage (one call, no progress) on a
 * runtime without that stream, listing the layers once it is done.
 */
public final class Puller {

    private static final int STDERR = 2;

    private final Cri cri;
    private final PrintStream out;
    private final ProgressDisplay display;

    Puller(Cri cri, PrintStream out, ProgressDisplay display) {
        this.cri = cri;
        this.out = out;
        this.display = display;
    }

    /** Progress on stdout, live when stdout is a terminal. */
    public static Puller onStdout(Cri cri) {
        return on(cri, System.out, Terminal.STDOUT);
    }

    /** Progress on stderr (run's stdout is the container's), live when stderr is a terminal. */
    public static Puller onStderr(Cri cri) {
        return on(cri, System.err, STDERR);
    }

    /** No progress at all ({@code pull -q}). */
    public static Puller quiet(Cri cri, PrintStream nowhere) {
        return new Puller(cri, nowhere, layer -> {});
    }

    private static Puller on(Cri cri, PrintStream out, int fd) {
        Optional<Terminal.Size> terminal = Terminal.isTerminal(fd) ? Terminal.size(fd) : Optional.empty();
        ProgressDisplay display = terminal.<ProgressDisplay>map(size -> new TerminalProgress(out, size.columns()))
                .orElseGet(() -> new PlainProgress(out));
        return new Puller(cri, out, display);
    }

    public ImageInfo pull(String reference) {
        ImageRef ref = ImageRef.parse(reference);
        boolean untagged = ref.tag().isEmpty() && ref.digest().isEmpty();
        if (untagged) {
            out.println("Using default tag: latest");
        }
        String named = untagged ? reference + ":latest" : reference;
        Optional<String> before =
                ImageInfo.find(cri, named).map(info -> info.image().getId());
        out.println((ref.digest().isEmpty() ? (ref.tag().isEmpty() ? "latest" : ref.tag()) : ref.digest())
                + ": Pulling from " + ref.repository());
        out.flush();
        PullComplete pulled = streamed(named).orElseGet(() -> unary(named));
        ImageInfo info = ImageInfo.find(cri, pulled.getImageRef())
                .orElseThrow(() -> new CliException("the runtime pulled " + named + " but does not list it"));
        String digest = pulled.getDigest().isEmpty() ? info.manifestDigest() : pulled.getDigest();
        if (!digest.isEmpty()) {
            out.println("Digest: " + digest);
        }
        boolean same = before.map(id -> id.equals(info.image().getId())).orElse(false);
        out.println("Status: " + (same ? "Image is up to date for " : "Downloaded newer image for ") + named);
        out.flush();
        return info;
    }

    /** Through berth.v1; empty when the runtime does not serve it (another CRI runtime, an older berthd). */
    private Optional<PullComplete> streamed(String named) {
        try {
            Iterator<PullProgress> stream = cri.pullStream()
                    .pull(PullRequest.newBuilder()
                            .setImage(ImageSpec.newBuilder().setImage(named))
                            .build());
            PullComplete complete = null;
            while (stream.hasNext()) {
                PullProgress event = stream.next();
                if (event.hasLayer()) {
                    display.layer(event.getLayer());
                } else if (event.hasComplete()) {
                    complete = event.getComplete();
                }
            }
            if (complete == null) {
                throw new CliException("pull " + named + ": the runtime ended the pull without its result");
            }
            return Optional.of(complete);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
                return Optional.empty();
            }
            throw failure(named, e);
        }
    }

    /** Through CRI alone: one call, and the layers listed once they are all in. */
    private PullComplete unary(String named) {
        out.println("The runtime shows no pull progress (it has no berth.v1 pull service); pulling through CRI");
        out.flush();
        String imageRef;
        try {
            imageRef = cri.pulls()
                    .pullImage(PullImageRequest.newBuilder()
                            .setImage(ImageSpec.newBuilder().setImage(named))
                            .build())
                    .getImageRef();
        } catch (StatusRuntimeException e) {
            throw failure(named, e);
        }
        ImageInfo.find(cri, imageRef)
                .ifPresent(info ->
                        info.layers().forEach(layer -> out.println(ImageInfo.shortId(layer) + ": Pull complete")));
        return PullComplete.newBuilder().setImageRef(imageRef).build();
    }

    private CliException failure(String named, StatusRuntimeException e) {
        String reason = e.getStatus().getDescription() == null
                ? e.getStatus().getCode().toString()
                : e.getStatus().getDescription();
        return switch (e.getStatus().getCode()) {
            case NOT_FOUND -> new CliException("image not found: " + named + " (the registry said: " + reason + ")");
            case UNAUTHENTICATED, PERMISSION_DENIED ->
                new CliException("pull access denied for " + named + ": " + reason);
            default -> {
                if (e.getStatus().getCode() == Status.Code.UNAVAILABLE && e.getCause() != null) {
                    yield cri.failure("pull " + named, e);
                }
                yield new CliException("pull " + named + ": " + reason);
            }
        };
    }
}
