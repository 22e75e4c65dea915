package dev.berth.build.layer;

import dev.berth.image.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Blobs as files named by their digest in a test's directory. */
record DirectorySink(Path dir) implements LayerSink {

    @Override
    public Path newFile() throws IOException {
        return Files.createTempFile(dir, "layer-", ".tmp");
    }

    @Override
    public void publish(Path file, Digest digest, long size) throws IOException {
        Files.move(file, blob(digest), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    Path blob(Digest digest) {
        return dir.resolve(digest.encoded() + ".tar");
    }
}
