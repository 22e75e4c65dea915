package dev.berth.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a layer stream on a virtual thread of its own, a few large chunks ahead, so that what the
 * stream does (download, decompress, digest) overlaps with the unpacker's file-system calls instead of
 * alternating with them, as containerd overlaps an unpigz process with its apply loop.
 *
 * <p>Once {@link #finish} or {@link #abandon} returns, the reading thread no longer touches the
 * stream; {@link #finish} first reads it to its end, so whatever digests it has seen every byte.
 */
final class ReadAhead extends InputStream {

    private static final Logger log = LoggerFactory.getLogger(ReadAhead.class);
    private static final long ABANDON_WAIT_MILLIS = 1000;

    /** A filled buffer, the end of the stream ({@code length < 0}), or the stream's failure. */
    private record Chunk(byte[] buffer, int length, Throwable failure) {}

    private final InputStream in;
    private final BlockingQueue<Chunk> filled;
    private final BlockingQueue<byte[]> free;
    private final Thread reader;
    private volatile boolean abandoned;
    private Chunk current;
    private int position;
    private boolean ended;

    private ReadAhead(InputStream in, int chunkSize, int chunks) {
        this.in = in;
        this.filled = new ArrayBlockingQueue<>(chunks + 1);
        this.free = new ArrayBlockingQueue<>(chunks);
        for (int i = 0; i < chunks; i++) {
            free.add(new byte[chunkSize]);
        }
        this.reader = Thread.ofVirtual().name("layer-read-ahead").unstarted(this::readAll);
    }

    static ReadAhead start(InputStream in, int chunkSize, int chunks) {
        ReadAhead readAhead = new ReadAhead(in, chunkSize, chunks);
        readAhead.reader.start();
        return readAhead;
    }

    private void readAll() {
        try {
            while (!abandoned) {
                byte[] buffer = free.take();
                int length = 0;
                int read = 0;
                while (length < buffer.length && (read = in.read(buffer, length, buffer.length - length)) >= 0) {
                    length += read;
                }
                if (length > 0) {
                    filled.put(new Chunk(buffer, length, null));
                }
                if (read < 0) {
                    filled.put(new Chunk(null, -1, null));
                    return;
                }
            }
        } catch (InterruptedException e) {
            // abandoned while waiting for a free buffer
        } catch (IOException | RuntimeException e) {
            if (!abandoned) {
                filled.offer(new Chunk(null, 0, e));
            }
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (current == null || position == current.length()) {
            if (!nextChunk()) {
                return -1;
            }
        }
        int n = Math.min(len, current.length() - position);
        System.arraycopy(current.buffer(), position, b, off, n);
        position += n;
        return n;
    }

    private boolean nextChunk() throws IOException {
        if (ended) {
            return false;
        }
        if (current != null) {
            free.add(current.buffer());
            current = null;
        }
        Chunk next;
        try {
            next = filled.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the layer");
        }
        if (next.failure() != null) {
            ended = true;
            throw next.failure() instanceof IOException io
                    ? new IOException(io.getMessage(), io)
                    : new IOException("reading the layer failed", next.failure());
        }
        if (next.length() < 0) {
            ended = true;
            return false;
        }
        current = next;
        position = 0;
        return true;
    }

    /** Reads what is left of the stream (padding after the tar's end, trailing frames) and waits for the reader. */
    void finish() throws IOException {
        while (nextChunk()) {
            position = current.length();
        }
        join(0);
    }

    /** Stops reading ahead; after a short wait the stream is left to the caller to close. */
    void abandon() {
        abandoned = true;
        reader.interrupt();
        join(ABANDON_WAIT_MILLIS);
        if (reader.isAlive()) {
            log.debug(
                    "layer read-ahead still blocked in a read after {} ms; closing the stream will end it",
                    ABANDON_WAIT_MILLIS);
        }
    }

    private void join(long millis) {
        try {
            if (millis == 0) {
                reader.join();
            } else {
                reader.join(millis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
