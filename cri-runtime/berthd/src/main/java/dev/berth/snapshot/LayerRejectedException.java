package dev.berth.snapshot;

import java.io.IOException;

/**
 * A layer tar that must not be applied: an entry names a path outside the snapshot, writes through a
 * symlink, links to something that is not in the layer, or is of a kind berthd does not unpack.
 */
public final class LayerRejectedException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String entryName;

    public LayerRejectedException(String entryName, String reason) {
        super("layer entry \"" + printable(entryName) + "\" rejected: " + reason);
        this.entryName = entryName;
    }

    /** The entry's name as the tar spells it. */
    public String entryName() {
        return entryName;
    }

    private static String printable(String name) {
        return name.replace("\0", "\\0");
    }
}
