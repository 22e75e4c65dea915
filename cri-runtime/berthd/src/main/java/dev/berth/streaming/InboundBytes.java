package dev.berth.streaming;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;

/**
 * The bytes a client sends on one channel, for a blocking reader. The event loop {@link #push}es frames;
 * past {@code highWater} queued bytes it is told to stop reading the connection, and resumes once the reader
 * has drained below half of it, so a slow consumer holds back the client instead of filling the heap.
 */
public final class InboundBytes extends InputStream {

    private final ArrayDeque<ByteBuf> frames = new ArrayDeque<>();
    private final Runnable pauseReading;
    private final Runnable resumeReading;
    private final int highWater;
    private long queued;
    private boolean ended;
    private boolean paused;

    public InboundBytes(Runnable pauseReading, Runnable resumeReading, int highWater) {
        this.pauseReading = pauseReading;
        this.resumeReading = resumeReading;
        this.highWater = highWater;
    }

    /** Takes ownership of {@code frame} (released once read or on {@link #close}). */
    public void push(ByteBuf frame) {
        boolean pause;
        synchronized (this) {
            if (ended) {
                frame.release();
                return;
            }
            if (!frame.isReadable()) {
                frame.release();
                return;
            }
            frames.addLast(frame);
            queued += frame.readableBytes();
            pause = !paused && queued > highWater;
            paused |= pause;
            notifyAll();
        }
        if (pause) {
            pauseReading.run();
        }
    }

    /** The client closed this channel (or the connection): readers see end of stream once the queue is empty. */
    public synchronized void end() {
        ended = true;
        notifyAll();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        boolean resume = false;
        int n;
        synchronized (this) {
            while (frames.isEmpty() && !ended) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while waiting for client input");
                }
            }
            ByteBuf head = frames.peekFirst();
            if (head == null) {
                return -1;
            }
            n = Math.min(length, head.readableBytes());
            head.readBytes(buffer, offset, n);
            if (!head.isReadable()) {
                frames.removeFirst().release();
            }
            queued -= n;
            if (paused && queued <= highWater / 2) {
                paused = false;
                resume = true;
            }
        }
        if (resume) {
            resumeReading.run();
        }
        return n;
    }

    @Override
    public synchronized int available() {
        return (int) Math.min(Integer.MAX_VALUE, queued);
    }

    /** The reader is done: what is queued or still arrives is dropped. */
    @Override
    public void close() {
        boolean resume;
        synchronized (this) {
            ended = true;
            frames.forEach(ByteBuf::release);
            frames.clear();
            queued = 0;
            resume = paused;
            paused = false;
            notifyAll();
        }
        if (resume) {
            resumeReading.run();
        }
    }
}
