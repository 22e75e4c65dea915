package dev.berth.testing;

import dev.berth.runtime.RemoteStreams;
import dev.berth.runtime.TerminalSizeQueue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A streaming client's side of an exec or attach, without any wire protocol: stdin the test writes to,
 * stdout and stderr it can wait on, the resize queue and the "client gone" signal.
 */
public final class ClientStreams {

    private final PipedOutputStream stdinWriter = new PipedOutputStream();
    private final PipedInputStream stdin;
    private final Collected stdout = new Collected();
    private final Collected stderr = new Collected();
    private final TerminalSizeQueue resizes = new TerminalSizeQueue();
    private final CompletableFuture<Void> clientGone = new CompletableFuture<>();

    public ClientStreams() throws IOException {
        stdin = new PipedInputStream(stdinWriter, 64 * 1024);
    }

    /** @param withStdin whether the client asked for stdin; {@code withStderr} likewise */
    public RemoteStreams streams(boolean withStdin, boolean withStdout, boolean withStderr) {
        return new RemoteStreams(
                withStdin ? stdin : null, withStdout ? stdout : null, withStderr ? stderr : null, resizes, clientGone);
    }

    public void type(String text) throws IOException {
        stdinWriter.write(text.getBytes(StandardCharsets.UTF_8));
        stdinWriter.flush();
    }

    public void closeStdin() throws IOException {
        stdinWriter.close();
    }

    public Collected stdout() {
        return stdout;
    }

    public Collected stderr() {
        return stderr;
    }

    public TerminalSizeQueue resizes() {
        return resizes;
    }

    public void leave() {
        resizes.close();
        clientGone.complete(null);
    }

    /** What was written to one of the client's output streams. */
    public static final class Collected extends OutputStream {

        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
            notifyAll();
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
            notifyAll();
        }

        public synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        /** Waits until the text contains {@code expected}; fails with what came after {@code timeout}. */
        public synchronized String await(String expected, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!text().contains(expected)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no \"" + expected + "\" within " + timeout + "; got: " + text());
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return text();
        }
    }
}
