package dev.berth.streaming;

/** More streaming URLs are waiting for their clients than berthd keeps. */
public final class TooManyStreamRequestsException extends Exception {

    public TooManyStreamRequestsException(String message) {
        super(message);
    }
}
