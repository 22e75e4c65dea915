package dev.berth.build.layer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip compressed in 128 KiB blocks on an {@link Executor}, the way pigz does: each block is a raw deflate
 * run primed with the previous block's last 32 KiB as its dictionary and ended with a sync flush, so the
 * runs concatenate into one ordinary deflate stream any gunzip reads. The bytes depend only on the input
 * and the level, never on how many threads compress (header: mtime 0, no name, OS unknown). Written from
 * one thread.
 */
final class ParallelGzipOutputStream extends OutputStream {

    static final int BLOCK_SIZE = 128 * 1024;
    private static final int DICTIONARY_SIZE = 32 * 1024;
    private static final int MAX_IN_FLIGHT = 8;
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final OutputStream out;
    private final int level;
    private final Executor compressors;
    private final CRC32 crc = new CRC32();
    private final Deque<CompletableFuture<byte[]>> inFlight = new ArrayDeque<>();
    private byte[] block = new byte[BLOCK_SIZE];
    private int filled;
    private byte[] dictionary;
    private long total;
    private boolean closed;

    ParallelGzipOutputStream(OutputStream out, int level, Executor compressors) throws IOException {
        this.out = out;
        this.level = level;
        this.compressors = compressors;
        out.write(HEADER);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        crc.update(b, off, len);
        total += len;
        while (len > 0) {
            int n = Math.min(len, BLOCK_SIZE - filled);
            System.arraycopy(b, off, block, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == BLOCK_SIZE) {
                submit(false);
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            submit(true);
            while (!inFlight.isEmpty()) {
                drainOne();
            }
            long crcValue = crc.getValue();
            out.write(new byte[] {
                (byte) crcValue, (byte) (crcValue >> 8), (byte) (crcValue >> 16), (byte) (crcValue >> 24),
                (byte) total, (byte) (total >> 8), (byte) (total >> 16), (byte) (total >> 24)
            });
        } finally {
            out.close();
        }
    }

    private void submit(boolean last) throws IOException {
        byte[] data = block;
        int length = filled;
        byte[] primer = dictionary;
        if (!last) {
            dictionary = Arrays.copyOfRange(data, length - DICTIONARY_SIZE, length);
            block = new byte[BLOCK_SIZE];
            filled = 0;
        }
        inFlight.add(CompletableFuture.supplyAsync(() -> compress(data, length, primer, last), compressors));
        while (inFlight.size() > MAX_IN_FLIGHT) {
            drainOne();
        }
    }

    private void drainOne() throws IOException {
        try {
            out.write(inFlight.removeFirst().join());
        } catch (CompletionException e) {
            throw e.getCause() instanceof UncheckedIOException io ? io.getCause() : new IOException(e.getCause());
        }
    }

    private byte[] compress(byte[] data, int length, byte[] primer, boolean last) {
        Deflater deflater = new Deflater(level, true);
        try {
            if (primer != null) {
                deflater.setDictionary(primer);
            }
            deflater.setInput(data, 0, length);
            ByteArrayOutputStream compressed = new ByteArrayOutputStream(length / 2 + 64);
            byte[] buffer = new byte[64 * 1024];
            if (last) {
                deflater.finish();
                while (!deflater.finished()) {
                    compressed.write(buffer, 0, deflater.deflate(buffer));
                }
            } else {
                int n;
                do {
                    n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
                    compressed.write(buffer, 0, n);
                } while (n == buffer.length);
            }
            return compressed.toByteArray();
        } finally {
            deflater.end();
        }
    }
}
