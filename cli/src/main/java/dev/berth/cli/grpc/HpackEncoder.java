package dev.berth.cli.grpc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * HPACK's simplest legal encoding: every field a literal without indexing with a literal name, no Huffman
 * (RFC 7541 6.2.2). The peer's decoder keeps no state for it, and a call's few headers are small anyway.
 */
final class HpackEncoder {

    private HpackEncoder() {}

    static byte[] encode(List<Header> headers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        for (Header header : headers) {
            out.write(0);
            string(out, header.name());
            string(out, header.value());
        }
        return out.toByteArray();
    }

    private static void string(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.ISO_8859_1);
        integer(out, bytes.length, 7);
        out.write(bytes, 0, bytes.length);
    }

    /** 5.1, with the first byte's high bits 0 (for a string: not Huffman-coded). */
    private static void integer(ByteArrayOutputStream out, int value, int prefixBits) {
        int max = (1 << prefixBits) - 1;
        if (value < max) {
            out.write(value);
            return;
        }
        out.write(max);
        int rest = value - max;
        while (rest >= 0x80) {
            out.write((rest & 0x7f) | 0x80);
            rest >>>= 7;
        }
        out.write(rest);
    }
}
