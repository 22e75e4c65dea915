package dev.berth.build.cache;

import dev.berth.image.Digest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Cache keys as a chain: each step's key hashes its parent's key with what the step does. */
public final class CacheKeys {

    private CacheKeys() {}

    /** The key a stage starts from: its base image's ID, or "scratch". */
    public static String base(String imageId) {
        return Digest.sha256(("base\0" + imageId).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /** {@code parts}: the instruction's text after substitution, then the arguments and content hashes in effect. */
    public static String next(String parent, List<String> parts) {
        StringBuilder text = new StringBuilder(parent);
        for (String part : parts) {
            text.append('\0').append(part.length()).append(':').append(part);
        }
        return Digest.sha256(text.toString().getBytes(StandardCharsets.UTF_8)).toString();
    }
}
