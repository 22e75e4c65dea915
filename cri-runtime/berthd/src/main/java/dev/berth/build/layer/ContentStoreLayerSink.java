package dev.berth.build.layer;

import dev.berth.content.ContentStore;
import dev.berth.image.Digest;
import java.io.IOException;
import java.nio.file.Path;

/** Layers straight into the content store: written in its ingest area, moved under their digest. */
public final class ContentStoreLayerSink implements LayerSink {

    private final ContentStore content;

    public ContentStoreLayerSink(ContentStore content) {
        this.content = content;
    }

    @Override
    public Path newFile() throws IOException {
        return content.newIngestFile();
    }

    @Override
    public void publish(Path file, Digest digest, long size) throws IOException {
        content.adopt(file, digest);
    }
}
