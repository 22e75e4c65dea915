package dev.berth.store;

/** A sandbox or container the request names does not exist. */
public final class NotFoundException extends Exception {

    public NotFoundException(String kind, String id) {
        super(kind + " " + id + " not found");
    }
}
