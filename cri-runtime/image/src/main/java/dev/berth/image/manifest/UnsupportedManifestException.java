package dev.berth.image.manifest;

/** A manifest berthd will not pull, such as Docker's deprecated schema 1. */
public final class UnsupportedManifestException extends Exception {

    public UnsupportedManifestException(String message) {
        super(message);
    }
}
