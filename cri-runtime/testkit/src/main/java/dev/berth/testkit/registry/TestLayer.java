package dev.berth.testkit.registry;

import dev.berth.testkit.layer.LayerCompression;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** A layer to push: its uncompressed tar (for the diff ID) and the blob as pushed. */
public record TestLayer(byte[] tar, Compression compression, byte[] blob) {

    public enum Compression {
        NONE,
        GZIP,
        ZSTD
    }

    public static TestLayer of(byte[] tar, Compression compression) {
        byte[] blob = switch (compression) {
            case NONE -> tar;
            case GZIP -> LayerCompression.gzip(tar);
            case ZSTD -> LayerCompression.zstd(tar);
        };
        return new TestLayer(tar, compression, blob);
    }

    public String diffId() {
        return sha256(tar);
    }

    public String digest() {
        return sha256(blob);
    }

    /**
     * A layer of {@code files} files adding up to about {@code approxBytes}, half random and half
     * repetitive like real binaries, so it compresses about as well as real layers do. Same seed,
     * same bytes.
     */
    public static TestLayer random(long approxBytes, int files, long seed, Compression compression) {
        Random random = new Random(seed);
        ByteArrayOutputStream out =
                new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE, approxBytes + 1_000_000));
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            long perFile = Math.max(1, approxBytes / files);
            byte[] text = ("berth layer filler line " + seed + " lorem ipsum dolor sit amet\n").getBytes();
            for (int i = 0; i < files; i++) {
                if (i % 50 == 0) {
                    TarArchiveEntry dir = new TarArchiveEntry("data" + seed + "/d" + (i / 50) + "/");
                    dir.setModTime(1_700_000_000_000L);
                    tar.putArchiveEntry(dir);
                    tar.closeArchiveEntry();
                }
                byte[] content = new byte[(int) perFile];
                int half = content.length / 2;
                byte[] noise = new byte[half];
                random.nextBytes(noise);
                System.arraycopy(noise, 0, content, 0, half);
                for (int j = half; j < content.length; j++) {
                    content[j] = text[j % text.length];
                }
                TarArchiveEntry entry = new TarArchiveEntry("data" + seed + "/d" + (i / 50) + "/f" + i + ".bin");
                entry.setSize(content.length);
                entry.setMode(0644);
                entry.setModTime(1_700_000_000_000L);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return of(out.toByteArray(), compression);
    }

    static String sha256(byte[] data) {
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
