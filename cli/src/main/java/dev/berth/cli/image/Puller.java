package dev.berth.cli.image;

import dev.berth.cli.CliException;
import dev.berth.cli.cri.Cri;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.PullImageRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintStream;
import java.util.Optional;

/**
 * Pulls an image and tells what happened, in docker's plain (piped) lines. CRI's PullImage is one unary call
 * without progress, so the layers are listed once it is done; live per-layer progress needs berthd's
 * {@code berth.v1} pull-progress stream.
 */
public final class Puller {

    private final Cri cri;
    private final PrintStream out;

    public Puller(Cri cri, PrintStream out) {
        this.cri = cri;
        this.out = out;
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
        ImageInfo info = ImageInfo.find(cri, imageRef)
                .orElseThrow(() -> new CliException("the runtime pulled " + named + " but does not list it"));
        for (String layer : info.layers()) {
            out.println(ImageInfo.shortId(layer) + ": Pull complete");
        }
        String digest = info.manifestDigest();
        if (!digest.isEmpty()) {
            out.println("Digest: " + digest);
        }
        boolean same = before.map(id -> id.equals(info.image().getId())).orElse(false);
        out.println("Status: " + (same ? "Image is up to date for " : "Downloaded newer image for ") + named);
        out.flush();
        return info;
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
