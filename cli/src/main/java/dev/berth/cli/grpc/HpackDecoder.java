package dev.berth.cli.grpc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * HPACK (RFC 7541) for the header blocks a peer sends: the static table, the dynamic table with its size
 * accounting and evictions, integers, string literals plain and Huffman-coded. One per connection: the peer's
 * encoder and this decoder share the dynamic table's state, so every block is decoded, in order.
 */
final class HpackDecoder {

    private static final Header[] STATIC = {
        new Header(":authority", ""),
        new Header(":method", "GET"),
        new Header(":method", "POST"),
        new Header(":path", "/"),
        new Header(":path", "/index.html"),
        new Header(":scheme", "http"),
        new Header(":scheme", "https"),
        new Header(":status", "200"),
        new Header(":status", "204"),
        new Header(":status", "206"),
        new Header(":status", "304"),
        new Header(":status", "400"),
        new Header(":status", "404"),
        new Header(":status", "500"),
        new Header("accept-charset", ""),
        new Header("accept-encoding", "gzip, deflate"),
        new Header("accept-language", ""),
        new Header("accept-ranges", ""),
        new Header("accept", ""),
        new Header("access-control-allow-origin", ""),
        new Header("age", ""),
        new Header("allow", ""),
        new Header("authorization", ""),
        new Header("cache-control", ""),
        new Header("content-disposition", ""),
        new Header("content-encoding", ""),
        new Header("content-language", ""),
        new Header("content-length", ""),
        new Header("content-location", ""),
        new Header("content-range", ""),
        new Header("content-type", ""),
        new Header("cookie", ""),
        new Header("date", ""),
        new Header("etag", ""),
        new Header("expect", ""),
        new Header("expires", ""),
        new Header("from", ""),
        new Header("host", ""),
        new Header("if-match", ""),
        new Header("if-modified-since", ""),
        new Header("if-none-match", ""),
        new Header("if-range", ""),
        new Header("if-unmodified-since", ""),
        new Header("last-modified", ""),
        new Header("link", ""),
        new Header("location", ""),
        new Header("max-forwards", ""),
        new Header("proxy-authenticate", ""),
        new Header("proxy-authorization", ""),
        new Header("range", ""),
        new Header("referer", ""),
        new Header("refresh", ""),
        new Header("retry-after", ""),
        new Header("server", ""),
        new Header("set-cookie", ""),
        new Header("strict-transport-security", ""),
        new Header("transfer-encoding", ""),
        new Header("user-agent", ""),
        new Header("vary", ""),
        new Header("via", ""),
        new Header("www-authenticate", ""),
    };

    /** Newest first, as HPACK indexes it. */
    private final ArrayDeque<Header> dynamic = new ArrayDeque<>();

    /** What SETTINGS_HEADER_TABLE_SIZE allows the peer (we send the default). */
    private final int maxAllowedSize;

    private int maxSize;
    private int size;
    private byte[] in;
    private int pos;
    private int end;

    HpackDecoder(int maxAllowedSize) {
        this.maxAllowedSize = maxAllowedSize;
        this.maxSize = maxAllowedSize;
    }

    /** The table's size now, for the tests of eviction. */
    int tableSize() {
        return size;
    }

    List<Header> decode(byte[] block) throws Http2Exception {
        in = block;
        pos = 0;
        end = block.length;
        List<Header> headers = new ArrayList<>();
        boolean fieldSeen = false;
        while (pos < end) {
            int b = in[pos] & 0xff;
            if ((b & 0x80) != 0) {
                headers.add(entry(integer(7)));
                fieldSeen = true;
            } else if ((b & 0x40) != 0) {
                Header header = literal(6);
                add(header);
                headers.add(header);
                fieldSeen = true;
            } else if ((b & 0x20) != 0) {
                // 6.3: only at the start of a block
                if (fieldSeen) {
                    throw compression("a dynamic table size update after a header field");
                }
                int newSize = integer(5);
                if (newSize > maxAllowedSize) {
                    throw compression("a dynamic table size of " + newSize + " over " + maxAllowedSize);
                }
                maxSize = newSize;
                evict(0);
            } else {
                // without indexing (0000) and never indexed (0001): the same to a decoder
                headers.add(literal(4));
                fieldSeen = true;
            }
        }
        in = null;
        return headers;
    }

    private Header literal(int prefixBits) throws Http2Exception {
        int index = integer(prefixBits);
        String name = index == 0 ? string() : entry(index).name();
        return new Header(name, string());
    }

    private Header entry(int index) throws Http2Exception {
        if (index <= 0) {
            throw compression("index 0");
        }
        if (index <= STATIC.length) {
            return STATIC[index - 1];
        }
        int dynamicIndex = index - STATIC.length - 1;
        if (dynamicIndex >= dynamic.size()) {
            throw compression("index " + index + " beyond the table");
        }
        int i = 0;
        for (Header header : dynamic) {
            if (i++ == dynamicIndex) {
                return header;
            }
        }
        throw compression("index " + index + " beyond the table");
    }

    private void add(Header header) {
        evict(header.size());
        // 4.4: an entry larger than the whole table empties it and is not added
        if (header.size() <= maxSize) {
            dynamic.addFirst(header);
            size += header.size();
        }
    }

    private void evict(int room) {
        while (size + room > maxSize && !dynamic.isEmpty()) {
            size -= dynamic.removeLast().size();
        }
    }

    /** 5.1: an integer with an N-bit prefix. */
    private int integer(int prefixBits) throws Http2Exception {
        int mask = (1 << prefixBits) - 1;
        int value = in[pos++] & mask;
        if (value < mask) {
            return value;
        }
        int shift = 0;
        while (true) {
            if (pos >= end) {
                throw compression("a truncated integer");
            }
            int b = in[pos++] & 0xff;
            if (shift > 21) {
                throw compression("an integer over 2^28");
            }
            value += (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
            shift += 7;
        }
    }

    /** 5.2: a string literal, Huffman-coded if its first bit says so. */
    private String string() throws Http2Exception {
        if (pos >= end) {
            throw compression("a truncated string");
        }
        boolean huffman = (in[pos] & 0x80) != 0;
        int length = integer(7);
        if (length > end - pos) {
            throw compression("a string longer than its block");
        }
        String value = huffman
                ? HuffmanDecoder.decode(in, pos, length)
                : new String(in, pos, length, StandardCharsets.ISO_8859_1);
        pos += length;
        return value;
    }

    private static Http2Exception compression(String message) {
        return new Http2Exception(Http2Exception.COMPRESSION_ERROR, "HPACK: " + message);
    }
}
