package dev.berth.build.layer;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Single-stream gzip whose bytes depend only on its input and level: the JDK's header has mtime 0, no file
 * name and a fixed OS byte.
 */
final class DeterministicGzip extends GZIPOutputStream {

    DeterministicGzip(OutputStream out, int level) throws IOException {
        super(out, 64 * 1024);
        def.setLevel(level);
    }
}
