package dev.berth.cli.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ContextTarTest {

    @TempDir
    Path context;

    @Test
    void ignoredFilesAndDirectoriesAreLeftOutAndReincludedOnesSent() throws IOException {
        write("app.jar", "jar");
        write("secret.env", "TOKEN=1");
        write("target/classes/A.class", "A");
        write("logs/keep.log", "keep");
        write("logs/drop.log", "drop");
        write(".dockerignore", "secret.env\ntarget\nlogs/*.log\n!logs/keep.log\n");

        Map<String, TarArchiveEntry> entries = entries(ContextTar.of(context, "Dockerfile"));

        assertThat(entries.keySet()).containsExactly(".dockerignore", "app.jar", "logs/", "logs/keep.log");
    }

    @Test
    void theDockerfileAndTheDockerignoreAreSentEvenWhenTheRulesIgnoreThem() throws IOException {
        write("build/Dockerfile", "FROM scratch\n");
        write("build/other", "x");
        write("src/Main.java", "class Main {}");
        write(".dockerignore", "*\n");

        Map<String, TarArchiveEntry> entries = entries(ContextTar.of(context, "build/Dockerfile"));

        assertThat(entries.keySet()).containsExactly(".dockerignore", "build/", "build/Dockerfile");
    }

    @Test
    void aDockerfileOutsideTheContextIsNotReincluded() throws IOException {
        write("Dockerfile", "FROM scratch\n");
        write(".dockerignore", "Dockerfile\n");

        assertThat(entries(ContextTar.of(context, null)).keySet()).containsExactly(".dockerignore");
    }

    @Test
    void entriesAreOwnedByRootWithTheirModesAndSymlinksStaySymlinks() throws IOException {
        Path script = write("bin/run.sh", "#!/bin/sh\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
        Files.createSymbolicLink(context.resolve("bin/run"), Path.of("run.sh"));
        Files.createSymbolicLink(context.resolve("outside"), Path.of("/etc/passwd"));

        Map<String, TarArchiveEntry> entries = entries(ContextTar.of(context, "Dockerfile"));

        TarArchiveEntry link = entries.get("bin/run");
        assertThat(link.isSymbolicLink()).isTrue();
        assertThat(link.getLinkName()).isEqualTo("run.sh");
        assertThat(entries.get("outside").isSymbolicLink()).isTrue();
        assertThat(entries.get("outside").getLinkName()).isEqualTo("/etc/passwd");
        assertThat(entries.get("outside").getSize()).isZero();
        TarArchiveEntry file = entries.get("bin/run.sh");
        assertThat(file.getMode() & 07777).isEqualTo(0750);
        assertThat(file.isFile()).isTrue();
        assertThat(entries.values()).allSatisfy(entry -> {
            assertThat(entry.getLongUserId()).isZero();
            assertThat(entry.getLongGroupId()).isZero();
        });
        assertThat(entries.get("bin/").isDirectory()).isTrue();
    }

    @Test
    @Timeout(120)
    void aLargeFileIsStreamedInChunksOfAtMostTheChunkSize() throws Exception {
        long size = 48L << 20;
        try (RandomAccessFile big =
                new RandomAccessFile(context.resolve("big.bin").toFile(), "rw")) {
            big.setLength(size);
            big.seek(size / 2);
            big.write("middle".getBytes());
        }
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(context.resolve("big.bin")), expected)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        List<Integer> chunkSizes = new ArrayList<>();
        // the chunks are read back as they come, as berthd does: none is kept
        PipedTar piped = new PipedTar();
        Thread reader = Thread.ofVirtual().start(piped::readAll);
        try (ChunkedUpload upload = new ChunkedUpload(
                chunk -> {
                    chunkSizes.add(chunk.size());
                    piped.offer(chunk);
                },
                BuildCall.CHUNK_BYTES)) {
            ContextTar.of(context, "Dockerfile").writeTo(upload);
        }
        piped.offer(ByteString.EMPTY);
        reader.join();

        assertThat(chunkSizes).allMatch(n -> n > 0 && n <= BuildCall.CHUNK_BYTES);
        assertThat(chunkSizes.subList(0, chunkSizes.size() - 1)).allMatch(n -> n == BuildCall.CHUNK_BYTES);
        assertThat(chunkSizes.stream().mapToLong(Integer::longValue).sum()).isGreaterThan(size);
        assertThat(piped.name).isEqualTo("big.bin");
        assertThat(piped.size).isEqualTo(size);
        assertThat(piped.sha256).isEqualTo(HexFormat.of().formatHex(expected.digest()));
    }

    @Test
    void aMalformedDockerignoreFailsWithItsName() throws IOException {
        write(".dockerignore", "[unclosed\n");

        assertThatThrownBy(() -> ContextTar.of(context, "Dockerfile"))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(".dockerignore: ");
    }

    private Path write(String name, String text) throws IOException {
        Path file = context.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private static Map<String, TarArchiveEntry> entries(ContextTar tar) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        tar.writeTo(bytes);
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries.put(entry.getName(), entry);
            }
        }
        return entries;
    }

    /** Reads the chunks back as one tar stream, hashing its one file. */
    private static final class PipedTar {
        private final java.util.concurrent.BlockingQueue<ByteString> chunks =
                new java.util.concurrent.ArrayBlockingQueue<>(2);
        private String name;
        private long size;
        private String sha256;

        void offer(ByteString chunk) {
            try {
                chunks.put(chunk);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        void readAll() {
            InputStream joined = new InputStream() {
                private InputStream current = InputStream.nullInputStream();
                private boolean end;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    while (!end) {
                        int n = current.read(buffer, offset, length);
                        if (n > 0) {
                            return n;
                        }
                        try {
                            ByteString next = chunks.take();
                            end = next.isEmpty();
                            current = next.newInput();
                        } catch (InterruptedException e) {
                            throw new IOException(e);
                        }
                    }
                    return -1;
                }
            };
            try (TarArchiveInputStream in = new TarArchiveInputStream(joined)) {
                TarArchiveEntry entry = in.getNextEntry();
                name = entry.getName();
                size = entry.getSize();
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                in.transferTo(new java.security.DigestOutputStream(OutputStream.nullOutputStream(), digest));
                sha256 = HexFormat.of().formatHex(digest.digest());
                in.transferTo(OutputStream.nullOutputStream());
                joined.transferTo(OutputStream.nullOutputStream());
            } catch (IOException | NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
