package dev.berth.snapshot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The records of a PAX extended header ({@code typeflag 'x'}) that berthd honours: path, linkpath,
 * size, uid, gid, mtime and atime with nanoseconds, {@code SCHILY.xattr.*} byte for byte, and the
 * {@code GNU.sparse.*} marks of a sparse file. Reused for every entry by one {@link TarReader}.
 */
final class PaxHeader {

    private static final String XATTR_PREFIX = "SCHILY.xattr.";

    String path;
    String linkPath;
    long size;
    long uid;
    long gid;
    boolean hasMtime;
    long mtimeSeconds;
    long mtimeNanos;

    void clear() {
        path = null;
        linkPath = null;
        size = -1;
        uid = -1;
        gid = -1;
        hasMtime = false;
    }

    /** Reads {@code "<length> <key>=<value>\n"} records; atime and xattrs go straight to {@code entry}. */
    void parse(byte[] data, TarEntry entry, long headerOffset) throws IOException {
        int p = 0;
        while (p < data.length && data[p] != 0) {
            int q = p;
            long length = 0;
            while (q < data.length && data[q] >= '0' && data[q] <= '9' && length <= TarReader.MAX_EXTENSION_SIZE) {
                length = length * 10 + (data[q] - '0');
                q++;
            }
            if (q == p || q >= data.length || data[q] != ' ' || length > data.length - p) {
                throw TarReader.corrupt(headerOffset, "malformed PAX record");
            }
            int end = (int) (p + length);
            if (end <= q + 1 || data[end - 1] != '\n') {
                throw TarReader.corrupt(headerOffset, "malformed PAX record");
            }
            int equals = q + 1;
            while (equals < end - 1 && data[equals] != '=') {
                equals++;
            }
            if (equals >= end - 1 && data[equals] != '=') {
                throw TarReader.corrupt(headerOffset, "PAX record without '='");
            }
            String key = new String(data, q + 1, equals - q - 1, StandardCharsets.UTF_8);
            apply(key, data, equals + 1, end - 1, entry, headerOffset);
            p = end;
        }
    }

    private void apply(String key, byte[] data, int from, int to, TarEntry entry, long headerOffset)
            throws IOException {
        switch (key) {
            case "path" -> path = from == to ? null : new String(data, from, to - from, StandardCharsets.UTF_8);
            case "linkpath" -> linkPath = from == to ? null : new String(data, from, to - from, StandardCharsets.UTF_8);
            case "size" -> size = decimal(data, from, to, headerOffset);
            case "uid" -> uid = decimal(data, from, to, headerOffset);
            case "gid" -> gid = decimal(data, from, to, headerOffset);
            case "mtime" -> {
                hasMtime = true;
                mtimeSeconds = seconds(data, from, to, headerOffset);
                mtimeNanos = nanos(data, from, to, headerOffset);
            }
            case "atime" -> {
                entry.hasAtime = true;
                entry.atimeSeconds = seconds(data, from, to, headerOffset);
                entry.atimeNanos = nanos(data, from, to, headerOffset);
            }
            default -> {
                if (key.startsWith(XATTR_PREFIX)) {
                    entry.xattrs.add(new TarEntry.Xattr(
                            key.substring(XATTR_PREFIX.length()), Arrays.copyOfRange(data, from, to)));
                } else if (key.startsWith("GNU.sparse.")) {
                    entry.sparse = true;
                }
            }
        }
    }

    private static long decimal(byte[] data, int from, int to, long headerOffset) throws IOException {
        if (from == to || to - from > 18) {
            throw TarReader.corrupt(headerOffset, "bad number in PAX record");
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            if (data[i] < '0' || data[i] > '9') {
                throw TarReader.corrupt(headerOffset, "bad number in PAX record");
            }
            value = value * 10 + (data[i] - '0');
        }
        return value;
    }

    // A PAX time is [-]seconds[.fraction]; like Go, a negative one is normalised to a later second minus
    // a positive fraction: "-1.25" is second -2 plus 750000000 ns.

    private static long seconds(byte[] data, int from, int to, long headerOffset) throws IOException {
        boolean negative = from < to && data[from] == '-';
        int start = negative ? from + 1 : from;
        long whole = decimal(data, start, dot(data, start, to), headerOffset);
        if (!negative) {
            return whole;
        }
        return fraction(data, from, to, headerOffset) == 0 ? -whole : -whole - 1;
    }

    private static long nanos(byte[] data, int from, int to, long headerOffset) throws IOException {
        long fraction = fraction(data, from, to, headerOffset);
        boolean negative = from < to && data[from] == '-';
        return negative && fraction != 0 ? 1_000_000_000 - fraction : fraction;
    }

    private static long fraction(byte[] data, int from, int to, long headerOffset) throws IOException {
        long nanos = 0;
        int digits = 0;
        for (int i = dot(data, from, to) + 1; i < to; i++) {
            if (data[i] < '0' || data[i] > '9') {
                throw TarReader.corrupt(headerOffset, "bad time in PAX record");
            }
            if (digits < 9) {
                nanos = nanos * 10 + (data[i] - '0');
                digits++;
            }
        }
        for (; digits < 9; digits++) {
            nanos *= 10;
        }
        return nanos;
    }

    private static int dot(byte[] data, int from, int to) {
        int dot = from;
        while (dot < to && data[dot] != '.') {
            dot++;
        }
        return dot;
    }
}
