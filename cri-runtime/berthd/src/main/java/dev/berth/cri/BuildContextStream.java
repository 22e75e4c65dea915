package dev.berth.cri;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The context tar as the build reads it while the client still sends it: chunks handed over through a small queue,
 * so a client faster than the extraction waits (gRPC's flow control then holds it back) and memory stays bounded.
 * Once the reader has closed, further chunks are dropped instead of blocking the sender.
 */
final class BuildContextStream extends InputStream {

    /** Told apart by identity: an empty chunk is never queued. */
    private static final ByteString END = ByteString.copyFrom(new byte[1]);

    private static final int CHUNKS = 32;

    private final BlockingQueue<ByteString> chunks = new ArrayBlockingQueue<>(CHUNKS);
    private volatile boolean closed;
    private volatile boolean failed;
    private ByteString current = ByteString.EMPTY;
    private int position;
    private boolean ended;

    /**
     * From the gRPC thread: waits while the queue is full, unless the reader has gone. The message's own bytes are
     * queued, not a copy: each copy of a context is that much more garbage for a small heap's collections.
     */
    void offer(ByteString chunk) throws InterruptedException {
        if (chunk.isEmpty()) {
            return;
        }
        while (!closed && !chunks.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
            // the reader is behind; wait for it or for its close
        }
    }

    /** The client half-closed: what was sent is the whole context. */
    void end() throws InterruptedException {
        while (!closed && !chunks.offer(END, 100, TimeUnit.MILLISECONDS)) {
            // as in offer
        }
    }

    /** The client's stream broke: the reader gets an error rather than a truncated context. */
    void fail() {
        failed = true;
        chunks.offer(END);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (position == current.size()) {
            if (ended) {
                return -1;
            }
            try {
                current = chunks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("build context read interrupted");
            }
            position = 0;
            if (current == END) {
                if (failed) {
                    throw new IOException("the client's stream ended before the whole context arrived");
                }
                ended = true;
                return -1;
            }
        }
        int n = Math.min(length, current.size() - position);
        current.copyTo(buffer, position, offset, n);
        position += n;
        return n;
    }

    @Override
    public void close() {
        closed = true;
        chunks.clear();
    }
}
