package dev.berth.imagestore;

import dev.berth.image.Digest;
import java.io.IOException;
import java.nio.file.Path;

/** Gzips a layer stored uncompressed for a push; the file it makes is the caller's to delete once pushed. */
public interface PushCompression {

    Compressed gzip(Path tar) throws IOException;

    /** The gzip copy: its file, digest and size. */
    record Compressed(Path file, Digest digest, long size) {}
}
