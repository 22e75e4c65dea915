package dev.berth.cli.image;

import dev.berth.api.v1.PushProgress;
import dev.berth.api.v1.PushRequest;
import dev.berth.cli.CliException;
import dev.berth.cli.cri.Cri;
import dev.berth.cri.v1.AuthConfig;
import io.grpc.StatusRuntimeException;
import java.io.PrintStream;
import java.util.Iterator;

/**
 * Pushes one tag through berthd's berth.v1 push with docker push's plain lines: the repository, one line per
 * layer as it finishes, then the tag's digest and size ({@code quiet}: the digest alone). For push and
 * {@code build --push}.
 */
public final class Pusher {

    private final Cri cri;
    private final PrintStream out;
    private final boolean quiet;

    public Pusher(Cri cri, PrintStream out, boolean quiet) {
        this.cri = cri;
        this.out = out;
        this.quiet = quiet;
    }

    /** Pushes {@code named} (repository:tag, held by the runtime). */
    public void push(String named, AuthConfig auth) {
        ImageRef ref = ImageRef.parse(named);
        String configDigest = ImageInfo.find(cri, named)
                .map(info -> info.image().getId())
                .orElseThrow(() -> new CliException("push " + named + ": no such image: " + named));
        if (!quiet) {
            out.println("The push refers to repository [" + ref.repository() + "]");
        }
        PushRequest request =
                PushRequest.newBuilder().setImage(named).setAuth(auth).build();
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
