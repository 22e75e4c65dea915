package dev.berth.image.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the wait for each read of a registry's body: when no byte arrives within the progress timeout the
 * stream is closed under the reader, which unblocks it, and the read fails naming what stalled. A slow but
 * moving download is never cut, and time the reader spends elsewhere (unpacking) does not count. JDK
 * HttpClient's own request timeout ends with the headers, so the body needs this.
 */
final class ProgressWatchdog implements AutoCloseable {

    private final Duration timeout;
    private final ScheduledThreadPoolExecutor timer;

    /** {@code timeout} zero disables the watch, as containerd's {@code image_pull_progress_timeout} does. */
    ProgressWatchdog(Duration timeout) {
        this.timeout = timeout;
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "registry-progress-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    Duration timeout() {
        return timeout;
    }

    boolean enabled() {
        return !timeout.isZero();
    }

    /** {@code what} names the registry and the object, for the message of a stalled read. */
    InputStream watch(InputStream body, String what) {
        return enabled() ? new Watched(body, what) : body;
    }

    private final class Watched extends FilterInputStream {

        private final String what;
        private volatile boolean stalled;

        Watched(InputStream in, String what) {
            super(in);
            this.what = what;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            ScheduledFuture<?> alarm = timer.schedule(this::abort, timeout.toNanos(), TimeUnit.NANOSECONDS);
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw stalled ? stall(e) : e;
            } finally {
                alarm.cancel(false);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] sink = new byte[(int) Math.min(Math.max(n, 0), 64 * 1024)];
            return Math.max(read(sink, 0, sink.length), 0);
        }

        private void abort() {
            stalled = true;
            try {
                in.close();
            } catch (IOException e) {
                // closing is only the means to wake the reader; the read reports the stall
            }
        }

        private StalledReadException stall(IOException cause) {
            return new StalledReadException(
                    what + " stalled: no byte for " + timeout.toMillis() + " ms (images.pullProgressTimeout)", cause);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
