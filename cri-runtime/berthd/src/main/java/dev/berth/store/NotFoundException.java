package dev.berth.store;

/** A sandbox or container the request names does not exist. */
public final class NotFoundException extends Exception {

    /** How much of an ID the message shows: berthd's IDs are 64 characters, a client's may be far longer. */
    private static final int SHOWN_ID_CHARS = 64;

    public NotFoundException(String kind, String id) {
        super(kind + " " + shown(id) + " not found");
    }

    private static String shown(String id) {
        return id.length() <= SHOWN_ID_CHARS ? id : id.substring(0, SHOWN_ID_CHARS) + "…(" + id.length() + " chars)";
    }
}
