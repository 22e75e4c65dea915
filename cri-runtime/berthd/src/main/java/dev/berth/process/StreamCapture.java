package dev.berth.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads one output pipe of a program to its end on a virtual thread, keeping the first {@code limit} bytes and
 * reading and dropping the rest (as CRI-O and containerd cap ExecSync output), so the writer never blocks.
 */
final class StreamCapture {

    private static final int CHUNK = 64 * 1024;

    private final InputStream in;
    private final int limit;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final Thread reader;
    private boolean truncated;

    private StreamCapture(InputStream in, int limit) {
        this.in = in;
        this.limit = limit;
        this.reader = Thread.ofVirtual().name("capture").unstarted(this::readToEnd);
    }

    static StreamCapture start(InputStream in, int limit) {
        StreamCapture capture = new StreamCapture(in, limit);
        capture.reader.start();
        return capture;
    }

    private void readToEnd() {
        byte[] buffer = new byte[CHUNK];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (this) {
                    int keep = Math.min(n, limit - kept.size());
                    kept.write(buffer, 0, keep);
                    truncated |= keep < n;
                }
            }
        } catch (IOException e) {
            // the pipe was closed under us: what was read is the output
        }
    }

    /** What was read once the stream ended, or by {@code deadlineNanos} (System.nanoTime) if it did not. */
    byte[] await(long deadlineNanos) throws InterruptedException {
        long wait = deadlineNanos - System.nanoTime();
        if (wait > 0) {
            reader.join(java.time.Duration.ofNanos(wait));
        }
        synchronized (this) {
            return kept.toByteArray();
        }
    }

    synchronized boolean truncated() {
        return truncated;
    }
}
