package dev.berth.operator.nodeagent;

/** The node's CRI runtime refused or failed a pull; the message is the runtime's own. */
public final class CriPullException extends Exception {
    public CriPullException(String message, Throwable cause) {
        super(message, cause);
    }
}
