package dev.berth.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.testkit.layer.LayerTar;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;

class TarReaderTest {

    private static final byte[] CAPABILITY = {1, 0, 0, 2, (byte) 0xc0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

    @Test
    void readerTakesLongNamesNanosecondTimesAndBinaryXattrsFromPaxHeaders() throws IOException {
        String longName = "d/" + "n".repeat(150);
        byte[] tar = LayerTar.create()
                .file(longName, "x", 0644)
                .mtime(longName, Instant.ofEpochSecond(1_700_000_000L, 123_456_789))
                .xattr(longName, "security.capability", CAPABILITY)
                .symlink("üñí", "t/" + "t".repeat(120))
                .file("old", "y", 0644)
                .mtime("old", Instant.ofEpochSecond(-2, 750_000_000))
                .build();
        TarReader reader = new TarReader(new ByteArrayInputStream(tar), 4096);
        TarEntry entry = new TarEntry();

        assertThat(reader.next(entry)).isTrue();
        assertThat(entry.name).isEqualTo(longName);
        assertThat(entry.mtimeSeconds).isEqualTo(1_700_000_000L);
        assertThat(entry.mtimeNanos).isEqualTo(123_456_789L);
        assertThat(entry.xattrs).singleElement().satisfies(x -> {
            assertThat(x.name()).isEqualTo("security.capability");
            assertThat(x.value()).isEqualTo(CAPABILITY);
        });
        assertThat(reader.next(entry)).isTrue();
        assertThat(entry.name).isEqualTo("üñí");
        assertThat(entry.linkName).isEqualTo("t/" + "t".repeat(120));
        assertThat(entry.xattrs).isEmpty();
        assertThat(reader.next(entry)).isTrue();
        assertThat(entry.mtimeSeconds).isEqualTo(-2);
        assertThat(entry.mtimeNanos).isEqualTo(750_000_000L);
        assertThat(reader.next(entry)).isFalse();
    }

    @Test
    void readerReadsGnuLongNamesAndBase256Numbers() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String longName = "g/" + "l".repeat(200);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_STAR);
            TarArchiveEntry entry = new TarArchiveEntry(longName);
            entry.setUserId(3_000_000);
            entry.setGroupId(4_000_000);
            entry.setSize(3);
            tar.putArchiveEntry(entry);
            tar.write("abc".getBytes(StandardCharsets.UTF_8));
            tar.closeArchiveEntry();
            TarArchiveEntry link = new TarArchiveEntry("link", TarConstants.LF_SYMLINK);
            link.setLinkName(longName);
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        TarReader reader = new TarReader(new ByteArrayInputStream(bytes.toByteArray()), 1024);
        TarEntry entry = new TarEntry();

        assertThat(reader.next(entry)).isTrue();
        assertThat(entry.name).isEqualTo(longName);
        assertThat(entry.uid).isEqualTo(3_000_000);
        assertThat(entry.gid).isEqualTo(4_000_000);
        assertThat(content(reader)).isEqualTo("abc");
        assertThat(reader.next(entry)).isTrue();
        assertThat(entry.type).isEqualTo(TarEntry.SYMLINK);
        assertThat(entry.linkName).isEqualTo(longName);
        assertThat(reader.next(entry)).isFalse();
    }

    @Test
    void readerHandsOutContentAndSkipsContentThatIsNotRead() throws IOException {
        byte[] big = new byte[100_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        byte[] tar = LayerTar.create()
                .file("skipped", big, 0644)
                .file("big", big, 0644)
                .file("small", "tail", 0644)
                .build();
        TarReader reader = new TarReader(new ByteArrayInputStream(tar), 4096);
        TarEntry entry = new TarEntry();
        List<String> names = new ArrayList<>();

        while (reader.next(entry)) {
            names.add(entry.name);
            if (entry.name.equals("big")) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                assertThat(reader.copyContent(Channels.newChannel(out))).isEqualTo(big.length);
                assertThat(out.toByteArray()).isEqualTo(big);
            } else if (entry.name.equals("small")) {
                assertThat(content(reader)).isEqualTo("tail");
            }
        }

        assertThat(names).containsExactly("skipped", "big", "small");
    }

    @Test
    void readerPassesEveryByteThroughTheCallersStreamSoItsDigestCoversTheLayer() throws Exception {
        byte[] tar = LayerTar.create()
                .file("a", "content", 0644)
                .dir("d", 0755)
                .file("d/b", new byte[5000], 0644)
                .build();
        DigestInputStream in =
                new DigestInputStream(new ByteArrayInputStream(tar), MessageDigest.getInstance("SHA-256"));
        TarReader reader = new TarReader(in, 1024);
        TarEntry entry = new TarEntry();

        while (reader.next(entry)) {
            // content left unread on purpose
        }
        in.readAllBytes();

        assertThat(in.getMessageDigest().digest())
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(tar));
    }

    @Test
    void readerRefusesAHeaderWithABadChecksum() {
        byte[] tar = LayerTar.create().file("a", "x", 0644).build();
        tar[0] = 'b';

        assertThatThrownBy(() -> new TarReader(new ByteArrayInputStream(tar), 1024).next(new TarEntry()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("checksum");
    }

    @Test
    void readerFailsOnAnArchiveCutInsideAFile() throws IOException {
        byte[] tar = LayerTar.create().file("a", new byte[4096], 0644).build();
        byte[] cut = java.util.Arrays.copyOf(tar, 512 + 1000);
        TarReader reader = new TarReader(new ByteArrayInputStream(cut), 1024);
        TarEntry entry = new TarEntry();
        assertThat(reader.next(entry)).isTrue();

        assertThatThrownBy(() -> reader.copyContent(Channels.newChannel(new ByteArrayOutputStream())))
                .isInstanceOf(EOFException.class);
    }

    @Test
    void readerTreatsAnEmptyStreamAsAnEmptyLayer() throws IOException {
        assertThat(new TarReader(new ByteArrayInputStream(new byte[0]), 1024).next(new TarEntry()))
                .isFalse();
    }

    private static String content(TarReader reader) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        reader.copyContent(Channels.newChannel(out));
        return out.toString(StandardCharsets.UTF_8);
    }
}
