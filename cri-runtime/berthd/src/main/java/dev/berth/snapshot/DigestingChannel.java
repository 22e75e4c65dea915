package dev.berth.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;

/** A channel that digests what it writes, as far as the file took it. */
final class DigestingChannel implements WritableByteChannel {

    private final WritableByteChannel out;
    private final MessageDigest digest;

    DigestingChannel(WritableByteChannel out, MessageDigest digest) {
        this.out = out;
        this.digest = digest;
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
        ByteBuffer written = source.duplicate();
        int n = out.write(source);
        digest.update(written.limit(written.position() + n));
        return n;
    }

    @Override
    public boolean isOpen() {
        return out.isOpen();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
