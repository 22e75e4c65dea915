package dev.berth.content;

import dev.berth.image.Digest;

/** Bytes that do not hash to the digest they were fetched under: nothing of them is stored. */
public final class ContentDigestMismatchException extends Exception {

    private final Digest expected;
    private final Digest actual;

    public ContentDigestMismatchException(Digest expected, Digest actual) {
        super("digest mismatch: expected " + expected + ", got " + actual);
        this.expected = expected;
        this.actual = actual;
    }

    public ContentDigestMismatchException(Digest expected, String detail) {
        super("content of " + expected + " rejected: " + detail);
        this.expected = expected;
        this.actual = null;
    }

    public Digest expected() {
        return expected;
    }
}
