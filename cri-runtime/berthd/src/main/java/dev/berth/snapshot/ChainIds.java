package dev.berth.snapshot;

import dev.berth.image.Digest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The OCI image spec's ChainID: a layer's identity together with every layer beneath it. */
public final class ChainIds {

    private ChainIds() {}

    public static List<Digest> of(List<Digest> diffIds) {
        List<Digest> chain = new ArrayList<>(diffIds.size());
        Digest previous = null;
        for (Digest diffId : diffIds) {
            previous = previous == null
                    ? diffId
                    : Digest.sha256((previous + " " + diffId).getBytes(StandardCharsets.UTF_8));
            chain.add(previous);
        }
        return List.copyOf(chain);
    }
}
