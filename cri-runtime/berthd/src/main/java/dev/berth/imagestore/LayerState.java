package dev.berth.imagestore;

/** Where one layer of a pull stands, as a watcher of the pull sees it. */
public enum LayerState {
    /** Queued behind the bound on concurrent downloads. */
    WAITING,
    DOWNLOADING,
    /** Every byte is in; the blob's digest and the diff ID are being checked. */
    VERIFYING,
    /** Unpacking a blob the content store already held. */
    EXTRACTING,
    COMPLETE,
    ALREADY_EXISTS
}
