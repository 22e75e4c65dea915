package dev.berth.cli.grpc;

import java.io.ByteArrayOutputStream;

/** Decodes HPACK's Huffman-coded strings (RFC 7541 5.2) by walking a binary tree of {@link HuffmanCodes}. */
final class HuffmanDecoder {

    /** Per node, the child for bit 0 and for bit 1: a node index, or {@code -(symbol + 1)} for a leaf. */
    private static final int[] TREE = buildTree();

    private HuffmanDecoder() {}

    private static int[] buildTree() {
        int[] tree = new int[2 * 2 * (HuffmanCodes.EOS + 1)];
        int nodes = 1;
        for (int symbol = 0; symbol <= HuffmanCodes.EOS; symbol++) {
            int code = HuffmanCodes.CODES[symbol];
            int node = 0;
            for (int bit = HuffmanCodes.LENGTHS[symbol] - 1; bit >= 0; bit--) {
                int slot = 2 * node + ((code >>> bit) & 1);
                if (bit == 0) {
                    tree[slot] = -(symbol + 1);
                } else {
                    if (tree[slot] == 0) {
                        tree[slot] = nodes++;
                    }
                    node = tree[slot];
                }
            }
        }
        return tree;
    }

    static String decode(byte[] in, int offset, int length) throws Http2Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(length * 8 / 5 + 1);
        int node = 0;
        int depth = 0;
        boolean allOnes = true;
        for (int i = offset; i < offset + length; i++) {
            int b = in[i] & 0xff;
            for (int bit = 7; bit >= 0; bit--) {
                int value = (b >>> bit) & 1;
                int next = TREE[2 * node + value];
                depth++;
                allOnes &= value == 1;
                if (next < 0) {
                    int symbol = -next - 1;
                    if (symbol == HuffmanCodes.EOS) {
                        throw new Http2Exception(Http2Exception.COMPRESSION_ERROR, "EOS in a Huffman string");
                    }
                    out.write(symbol);
                    node = 0;
                    depth = 0;
                    allOnes = true;
                } else {
                    node = next;
                }
            }
        }
        // the padding: the most significant bits of EOS (all ones), fewer than 8 of them
        if (depth > 7 || !allOnes) {
            throw new Http2Exception(Http2Exception.COMPRESSION_ERROR, "bad padding in a Huffman string");
        }
        return out.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
