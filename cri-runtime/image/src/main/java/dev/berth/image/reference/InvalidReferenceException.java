package dev.berth.image.reference;

/** An image name that is not a valid reference; the message says what is wrong with it. */
public final class InvalidReferenceException extends Exception {

    public InvalidReferenceException(String reference, String problem) {
        super("invalid image reference \"" + reference + "\": " + problem);
    }
}
