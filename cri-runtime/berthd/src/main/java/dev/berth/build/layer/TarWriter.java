package dev.berth.build.layer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a POSIX tar (ustar headers, a PAX extended header before an entry only when a field does not fit
 * or it has xattrs), the same bytes for the same entries: no user or group names, no access times, no
 * nanoseconds. Not thread-safe.
 */
final class TarWriter {

    private static final int BLOCK = 512;
    private static final int NAME_LENGTH = 100;
    private static final long MAX_OCTAL_7 = 07777777L;
    private static final long MAX_OCTAL_11 = 077777777777L;
    private static final byte PAX = 'x';

    private final OutputStream out;
    private final byte[] block = new byte[BLOCK];

    TarWriter(OutputStream out) {
        this.out = out;
    }

    /** Writes the header and then {@code size} bytes of {@code content} (none for other than regular files). */
    void write(TarHeader header, InputStream content) throws IOException {
        byte[] name = header.name().getBytes(StandardCharsets.UTF_8);
        byte[] link = header.linkName().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream pax = new ByteArrayOutputStream();
        if (name.length > NAME_LENGTH) {
            record(pax, "path", name);
        }
        if (link.length > NAME_LENGTH) {
            record(pax, "linkpath", link);
        }
        if (header.size() > MAX_OCTAL_11) {
            record(pax, "size", ascii(header.size()));
        }
        if (header.uid() > MAX_OCTAL_7) {
            record(pax, "uid", ascii(header.uid()));
        }
        if (header.gid() > MAX_OCTAL_7) {
            record(pax, "gid", ascii(header.gid()));
        }
        if (header.mtimeSeconds() > MAX_OCTAL_11) {
            record(pax, "mtime", ascii(header.mtimeSeconds()));
        }
        for (TarHeader.Xattr xattr : header.xattrs()) {
            record(pax, "SCHILY.xattr." + xattr.name(), xattr.value());
        }
        if (pax.size() > 0) {
            byte[] records = pax.toByteArray();
            String paxName = "PaxHeaders/" + header.name();
            writeHeader(
                    truncate(paxName.getBytes(StandardCharsets.UTF_8)),
                    PAX,
                    0644,
                    0,
                    0,
                    records.length,
                    0,
                    new byte[0],
                    0,
                    0);
            out.write(records);
            pad(records.length);
        }
        writeHeader(
                truncate(name),
                header.type(),
                header.mode(),
                Math.min(header.uid(), MAX_OCTAL_7),
                Math.min(header.gid(), MAX_OCTAL_7),
                header.size() > MAX_OCTAL_11 ? 0 : header.size(),
                Math.min(header.mtimeSeconds(), MAX_OCTAL_11),
                truncate(link),
                header.devMajor(),
                header.devMinor());
        if (header.size() > 0) {
            copy(content, header.size(), header.name());
            pad(header.size());
        }
    }

    /** The two zero blocks that end an archive. */
    void finish() throws IOException {
        Arrays.fill(block, (byte) 0);
        out.write(block);
        out.write(block);
    }

    private void writeHeader(
            byte[] name,
            byte type,
            int mode,
            long uid,
            long gid,
            long size,
            long mtime,
            byte[] link,
            long devMajor,
            long devMinor)
            throws IOException {
        Arrays.fill(block, (byte) 0);
        System.arraycopy(name, 0, block, 0, name.length);
        octal(mode & 07777, 100, 8);
        octal(uid, 108, 8);
        octal(gid, 116, 8);
        octal(size, 124, 12);
        octal(Math.max(mtime, 0), 136, 12);
        block[156] = type;
        System.arraycopy(link, 0, block, 157, link.length);
        System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, block, 257, 8);
        if (type == TarHeader.CHAR_DEVICE || type == TarHeader.BLOCK_DEVICE) {
            octal(devMajor, 329, 8);
            octal(devMinor, 337, 8);
        }
        Arrays.fill(block, 148, 156, (byte) ' ');
        long checksum = 0;
        for (byte b : block) {
            checksum += b & 0xff;
        }
        String digits = String.format("%06o", checksum);
        System.arraycopy(digits.getBytes(StandardCharsets.US_ASCII), 0, block, 148, 6);
        block[154] = 0;
        block[155] = ' ';
        out.write(block);
    }

    private void octal(long value, int offset, int length) {
        String digits = Long.toOctalString(value);
        int width = length - 1;
        if (digits.length() > width) {
            throw new IllegalArgumentException("value " + value + " does not fit a tar header field");
        }
        for (int i = 0; i < width - digits.length(); i++) {
            block[offset + i] = '0';
        }
        System.arraycopy(
                digits.getBytes(StandardCharsets.US_ASCII),
                0,
                block,
                offset + width - digits.length(),
                digits.length());
        block[offset + width] = 0;
    }

    private void copy(InputStream content, long size, String name) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long remaining = size;
        while (remaining > 0) {
            int n = content.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (n < 0) {
                throw new IOException(name + " shrank while it was archived");
            }
            out.write(buffer, 0, n);
            remaining -= n;
        }
        if (content.read() >= 0) {
            throw new IOException(name + " grew while it was archived");
        }
    }

    private void pad(long written) throws IOException {
        int rest = (int) (written % BLOCK);
        if (rest != 0) {
            out.write(new byte[BLOCK - rest]);
        }
    }

    /** A PAX record: {@code "<length> <key>=<value>\n"}, the length counting itself. */
    private static void record(ByteArrayOutputStream pax, String key, byte[] value) {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        int body = 1 + keyBytes.length + 1 + value.length + 1;
        int length = body + Integer.toString(body).length();
        if (Integer.toString(length).length() != Integer.toString(body).length()) {
            length = body + Integer.toString(length).length();
        }
        pax.writeBytes(ascii(length));
        pax.write(' ');
        pax.writeBytes(keyBytes);
        pax.write('=');
        pax.writeBytes(value);
        pax.write('\n');
    }

    private static byte[] ascii(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] truncate(byte[] bytes) {
        return bytes.length <= NAME_LENGTH ? bytes : Arrays.copyOf(bytes, NAME_LENGTH);
    }
}
