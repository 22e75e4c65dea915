package dev.berth.build.layer;

import dev.berth.image.Digest;
import java.io.IOException;
import java.nio.file.Path;

/** Where a {@link LayerWriter} puts a blob: a file to write it into, published once its digest is known. */
public interface LayerSink {

    /** A new empty file the writer fills. */
    Path newFile() throws IOException;

    /** Takes {@code file}, completely written, as the blob {@code digest}. */
    void publish(Path file, Digest digest, long size) throws IOException;
}
