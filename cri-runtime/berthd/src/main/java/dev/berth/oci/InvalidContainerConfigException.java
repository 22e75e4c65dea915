package dev.berth.oci;

/** The CRI request (or the image it names) cannot be turned into a runnable spec; the message says why. */
public final class InvalidContainerConfigException extends Exception {

    public InvalidContainerConfigException(String message) {
        super(message);
    }
}
