package dev.berth.build.layer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParallelGzipOutputStreamTest {

    @TempDir
    Path temp;

    /** Text that repeats across block boundaries (so dictionaries matter) mixed with random bytes. */
    private static byte[] input(int size) {
        Random random = new Random(42);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        while (data.size() < size) {
            if (random.nextInt(20) == 0) {
                byte[] noise = new byte[random.nextInt(200)];
                random.nextBytes(noise);
                data.writeBytes(noise);
            } else {
                data.writeBytes(("line " + random.nextInt(50) + " of a fairly repetitive layer\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
        }
        return data.toByteArray();
    }

    private static byte[] gzip(byte[] data, java.util.concurrent.Executor executor, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ParallelGzipOutputStream gzip =
                new ParallelGzipOutputStream(out, Deflater.DEFAULT_COMPRESSION, executor)) {
            for (int off = 0; off < data.length; off += chunk) {
                gzip.write(data, off, Math.min(chunk, data.length - off));
            }
        }
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] gzip) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        }
    }

    @Test
    void manyBlocksDecompressToTheInputAndCompressAboutAsWellAsOneStream() throws IOException {
        byte[] data = input(5 * ParallelGzipOutputStream.BLOCK_SIZE + 12345);

        byte[] compressed = gzip(data, Runnable::run, 7000);

        assertThat(gunzip(compressed)).isEqualTo(data);
        ByteArrayOutputStream single = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(single)) {
            gzip.write(data);
        }
        // the shared dictionaries keep blocks about as small as one stream
        assertThat((double) compressed.length).isLessThan(single.size() * 1.05);
    }

    @Test
    void bytesDoNotDependOnThreadsOrWriteSizes() throws IOException, InterruptedException {
        byte[] data = input(3 * ParallelGzipOutputStream.BLOCK_SIZE + 99);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            assertThat(gzip(data, pool, 1 << 20)).isEqualTo(gzip(data, Runnable::run, 513));
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void emptyAndExactBlockInputsAreValidGzip() throws IOException {
        assertThat(gunzip(gzip(new byte[0], Runnable::run, 1))).isEmpty();
        byte[] exact = input(2 * ParallelGzipOutputStream.BLOCK_SIZE);
        exact = java.util.Arrays.copyOf(exact, 2 * ParallelGzipOutputStream.BLOCK_SIZE);
        assertThat(gunzip(gzip(exact, Runnable::run, 4096))).isEqualTo(exact);
    }

    @Test
    void gnuGzipAcceptsTheStream() throws Exception {
        byte[] data = input(3 * ParallelGzipOutputStream.BLOCK_SIZE);
        Path file = temp.resolve("data.gz");
        Files.write(file, gzip(data, Runnable::run, 10000));

        Process process = new ProcessBuilder("gzip", "-dc", file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).isZero();
        assertThat(output).isEqualTo(data);
    }
}
