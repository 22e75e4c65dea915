package dev.berth.build.layer;

import java.util.List;

/** One entry to write; {@code name} without a leading {@code ./}, directories ending in {@code /}. */
record TarHeader(
        String name,
        byte type,
        int mode,
        long uid,
        long gid,
        long size,
        long mtimeSeconds,
        String linkName,
        long devMajor,
        long devMinor,
        List<Xattr> xattrs) {

    static final byte REGULAR = '0';
    static final byte HARDLINK = '1';
    static final byte SYMLINK = '2';
    static final byte CHAR_DEVICE = '3';
    static final byte BLOCK_DEVICE = '4';
    static final byte DIRECTORY = '5';
    static final byte FIFO = '6';

    /** An extended attribute, written as a PAX {@code SCHILY.xattr.<name>} record with the value byte for byte. */
    record Xattr(String name, byte[] value) {}

    TarHeader {
        xattrs = List.copyOf(xattrs);
    }
}
