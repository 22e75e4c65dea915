package dev.berth.snapshot;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * A streaming reader of the tar formats image layers come in: ustar, PAX (path, linkpath, size, ids,
 * nanosecond times, {@code SCHILY.xattr.*} kept byte for byte) and GNU (long names, base-256 numbers).
 *
 * <p>It reads the stream through one large buffer and hands file content to a channel straight from
 * that buffer: a byte is copied once on its way from the decompressor to the kernel. It never calls
 * {@link InputStream#skip}, so a digesting stream underneath sees every byte it passes over.
 */
final class TarReader {

    static final int BLOCK = 512;
    /** Largest PAX or GNU long-name header accepted, as in Go's archive/tar. */
    static final int MAX_EXTENSION_SIZE = 1 << 20;

    private final InputStream in;
    private final byte[] buffer;
    private final ByteBuffer window;
    private int position;
    private int limit;
    private long offset;
    private long contentRemaining;
    private int paddingRemaining;
    private boolean finished;

    // Extension headers seen before the current entry's own header.
    private String longName;
    private String longLinkName;
    private final PaxHeader pax = new PaxHeader();

    TarReader(InputStream in, int bufferSize) {
        this.in = in;
        this.buffer = new byte[Math.max(bufferSize, 2 * BLOCK)];
        this.window = ByteBuffer.wrap(buffer);
    }

    /** Fills {@code entry} with the next entry's header; false at the end of the archive. */
    boolean next(TarEntry entry) throws IOException {
        if (finished) {
            return false;
        }
        discard(contentRemaining + paddingRemaining);
        contentRemaining = 0;
        paddingRemaining = 0;
        entry.clear();
        resetExtensions();
        boolean extended = false;
        while (true) {
            long headerOffset = offset;
            if (!fill(BLOCK)) {
                if (limit == position && !extended) {
                    finished = true;
                    return false;
                }
                throw new EOFException("layer tar ends inside a header at byte " + headerOffset);
            }
            if (checksumMatchesOrZero(headerOffset)) {
                consume(BLOCK);
                if (!fill(BLOCK) || isZeroBlock()) {
                    finished = true;
                    return false;
                }
                throw corrupt(headerOffset, "a zero block is followed by data");
            }
            byte type = buffer[position + 156];
            long size = number(124, 12, headerOffset);
            switch (type) {
                case 'x' -> {
                    consume(BLOCK);
                    pax.parse(readExtension(size, headerOffset), entry, headerOffset);
                }
                case 'g' -> {
                    consume(BLOCK);
                    discard(size + padding(size));
                }
                case 'L' -> {
                    consume(BLOCK);
                    longName = cString(readExtension(size, headerOffset));
                }
                case 'K' -> {
                    consume(BLOCK);
                    longLinkName = cString(readExtension(size, headerOffset));
                }
                default -> {
                    readHeader(entry, type, size, headerOffset);
                    consume(BLOCK);
                    return true;
                }
            }
            extended = true;
        }
    }

    /** Writes the current entry's content to {@code out}; returns the number of bytes. */
    long copyContent(WritableByteChannel out) throws IOException {
        long total = contentRemaining;
        while (contentRemaining > 0) {
            if (position == limit && !refill()) {
                throw new EOFException("layer tar ends inside a file's content at byte " + offset);
            }
            int n = (int) Math.min(limit - position, contentRemaining);
            window.limit(position + n).position(position);
            while (window.hasRemaining()) {
                out.write(window);
            }
            position += n;
            offset += n;
            contentRemaining -= n;
        }
        return total;
    }

    /** The archive offset of the next unread byte, for messages. */
    long offset() {
        return offset;
    }

    private void readHeader(TarEntry entry, byte type, long size, long headerOffset) throws IOException {
        int p = position;
        boolean ustar = buffer[p + 257] == 'u'
                && buffer[p + 258] == 's'
                && buffer[p + 259] == 't'
                && buffer[p + 260] == 'a'
                && buffer[p + 261] == 'r';
        boolean posix = ustar && buffer[p + 262] == 0;
        String name = field(0, 100);
        if (posix && buffer[p + 345] != 0) {
            boolean star =
                    buffer[p + 508] == 't' && buffer[p + 509] == 'a' && buffer[p + 510] == 'r' && buffer[p + 511] == 0;
            name = field(345, star ? 131 : 155) + "/" + name;
        }
        entry.type = type;
        entry.name = pax.path != null ? pax.path : longName != null ? longName : name;
        entry.linkName = pax.linkPath != null ? pax.linkPath : longLinkName != null ? longLinkName : field(157, 100);
        entry.mode = (int) (number(100, 8, headerOffset) & 07777);
        entry.uid = pax.uid >= 0 ? pax.uid : number(108, 8, headerOffset);
        entry.gid = pax.gid >= 0 ? pax.gid : number(116, 8, headerOffset);
        entry.size = pax.size >= 0 ? pax.size : size;
        if (pax.hasMtime) {
            entry.mtimeSeconds = pax.mtimeSeconds;
            entry.mtimeNanos = pax.mtimeNanos;
        } else {
            entry.mtimeSeconds = number(136, 12, headerOffset);
        }
        if (ustar && (type == TarEntry.CHAR_DEVICE || type == TarEntry.BLOCK_DEVICE)) {
            entry.devMajor = number(329, 8, headerOffset);
            entry.devMinor = number(337, 8, headerOffset);
        }
        if (type == TarEntry.REGULAR_OLD && entry.name.endsWith("/")) {
            entry.type = TarEntry.DIRECTORY;
        }
        if (entry.size < 0) {
            throw corrupt(headerOffset, "negative size");
        }
        boolean headerOnly = switch (entry.type) {
            case TarEntry.HARDLINK,
                    TarEntry.SYMLINK,
                    TarEntry.CHAR_DEVICE,
                    TarEntry.BLOCK_DEVICE,
                    TarEntry.DIRECTORY,
                    TarEntry.FIFO -> true;
            default -> false;
        };
        contentRemaining = headerOnly ? 0 : entry.size;
        paddingRemaining = padding(contentRemaining);
    }

    private void resetExtensions() {
        longName = null;
        longLinkName = null;
        pax.clear();
    }

    private byte[] readExtension(long size, long headerOffset) throws IOException {
        if (size < 0 || size > MAX_EXTENSION_SIZE) {
            throw corrupt(headerOffset, "extension header of " + size + " bytes");
        }
        byte[] data = new byte[(int) size];
        int done = 0;
        while (done < data.length) {
            if (position == limit && !refill()) {
                throw new EOFException("layer tar ends inside an extension header at byte " + offset);
            }
            int n = Math.min(limit - position, data.length - done);
            System.arraycopy(buffer, position, data, done, n);
            consume(n);
            done += n;
        }
        discard(padding(size));
        return data;
    }

    /** Verifies the header at {@code position}; true when it is an all-zero block instead. */
    private boolean checksumMatchesOrZero(long headerOffset) throws IOException {
        long unsigned = 0;
        long signed = 0;
        for (int i = position, end = position + BLOCK; i < end; i++) {
            unsigned += buffer[i] & 0xff;
            signed += buffer[i];
        }
        if (unsigned == 0) {
            return true;
        }
        for (int i = position + 148; i < position + 156; i++) {
            unsigned += ' ' - (buffer[i] & 0xff);
            signed += ' ' - buffer[i];
        }
        long stored = number(148, 8, headerOffset);
        if (stored != unsigned && stored != signed) {
            throw corrupt(headerOffset, "header checksum mismatch (not a tar archive?)");
        }
        return false;
    }

    private boolean isZeroBlock() {
        for (int i = position, end = position + BLOCK; i < end; i++) {
            if (buffer[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** A numeric header field: octal, or GNU base-256 when the high bit of its first byte is set. */
    private long number(int fieldOffset, int length, long headerOffset) throws IOException {
        int from = position + fieldOffset;
        int to = from + length;
        if ((buffer[from] & 0x80) != 0) {
            int invert = (buffer[from] & 0x40) != 0 ? 0xff : 0;
            long value = 0;
            for (int i = from; i < to; i++) {
                int b = (buffer[i] & 0xff) ^ invert;
                if (i == from) {
                    b &= 0x7f;
                }
                if ((value >>> 55) != 0) {
                    throw corrupt(headerOffset, "base-256 number overflows");
                }
                value = value << 8 | b;
            }
            return invert == 0 ? value : ~value;
        }
        while (from < to && (buffer[from] == ' ' || buffer[from] == 0)) {
            from++;
        }
        while (to > from && (buffer[to - 1] == ' ' || buffer[to - 1] == 0)) {
            to--;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = buffer[i] - '0';
            if (digit < 0 || digit > 7) {
                throw corrupt(headerOffset, "bad octal number in header");
            }
            value = value << 3 | digit;
        }
        return value;
    }

    private String field(int fieldOffset, int length) {
        int from = position + fieldOffset;
        int end = from;
        while (end < from + length && buffer[end] != 0) {
            end++;
        }
        return new String(buffer, from, end - from, StandardCharsets.UTF_8);
    }

    private static String cString(byte[] data) {
        int end = 0;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        return new String(data, 0, end, StandardCharsets.UTF_8);
    }

    private static int padding(long size) {
        return (int) (-size & (BLOCK - 1));
    }

    static IOException corrupt(long headerOffset, String why) {
        return new IOException("corrupt layer tar: " + why + " in the header at byte " + headerOffset);
    }

    private void consume(int n) {
        position += n;
        offset += n;
    }

    /** Reads and drops {@code n} bytes; never InputStream.skip, which would bypass a digest. */
    private void discard(long n) throws IOException {
        while (n > 0) {
            if (position == limit && !refill()) {
                throw new EOFException("layer tar ends early at byte " + offset);
            }
            int step = (int) Math.min(limit - position, n);
            consume(step);
            n -= step;
        }
    }

    /** Makes at least {@code n} bytes available from {@code position}; false at end of stream. */
    private boolean fill(int n) throws IOException {
        if (limit - position >= n) {
            return true;
        }
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
        }
        while (limit < n) {
            int read = in.read(buffer, limit, buffer.length - limit);
            if (read < 0) {
                return false;
            }
            limit += read;
        }
        return true;
    }

    /** Refills an empty buffer; false at end of stream. */
    private boolean refill() throws IOException {
        position = 0;
        limit = 0;
        int read;
        do {
            read = in.read(buffer, 0, buffer.length);
        } while (read == 0);
        if (read < 0) {
            return false;
        }
        limit = read;
        return true;
    }
}
