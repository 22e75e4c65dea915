package dev.berth.snapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * One tar entry's header, after any PAX or GNU extension headers before it were merged in. A single
 * instance is refilled by {@link TarReader#next} for every entry of a layer, so that unpacking a
 * hundred thousand files does not make a hundred thousand header objects.
 */
final class TarEntry {

    static final byte REGULAR = '0';
    static final byte REGULAR_OLD = 0;
    static final byte HARDLINK = '1';
    static final byte SYMLINK = '2';
    static final byte CHAR_DEVICE = '3';
    static final byte BLOCK_DEVICE = '4';
    static final byte DIRECTORY = '5';
    static final byte FIFO = '6';
    static final byte CONTIGUOUS = '7';

    /** An extended attribute from a PAX {@code SCHILY.xattr.<name>} record, value byte for byte. */
    record Xattr(String name, byte[] value) {}

    String name;
    String linkName;
    byte type;
    int mode;
    long uid;
    long gid;
    long size;
    long mtimeSeconds;
    long mtimeNanos;
    boolean hasAtime;
    long atimeSeconds;
    long atimeNanos;
    long devMajor;
    long devMinor;
    /** Set when PAX records describe a GNU sparse file, which berthd does not unpack. */
    boolean sparse;

    final List<Xattr> xattrs = new ArrayList<>(0);

    void clear() {
        name = null;
        linkName = "";
        type = REGULAR;
        mode = 0;
        uid = 0;
        gid = 0;
        size = 0;
        mtimeSeconds = 0;
        mtimeNanos = 0;
        hasAtime = false;
        atimeSeconds = 0;
        atimeNanos = 0;
        devMajor = 0;
        devMinor = 0;
        sparse = false;
        xattrs.clear();
    }

    boolean isRegular() {
        return type == REGULAR || type == REGULAR_OLD || type == CONTIGUOUS;
    }

    /** The times to set: atime is the later of the two, as containerd sets it. */
    boolean atimeAfterMtime() {
        return hasAtime && (atimeSeconds > mtimeSeconds || atimeSeconds == mtimeSeconds && atimeNanos > mtimeNanos);
    }

    String typeName() {
        return switch (type) {
            case REGULAR, REGULAR_OLD, CONTIGUOUS -> "regular file";
            case HARDLINK -> "hard link";
            case SYMLINK -> "symlink";
            case CHAR_DEVICE -> "character device";
            case BLOCK_DEVICE -> "block device";
            case DIRECTORY -> "directory";
            case FIFO -> "fifo";
            default -> "type '" + (type >= 0x20 && type < 0x7f ? Character.toString(type) : "\\" + (type & 0xff)) + "'";
        };
    }
}
