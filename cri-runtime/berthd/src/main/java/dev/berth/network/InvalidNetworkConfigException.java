package dev.berth.network;

import java.io.IOException;

/** The CNI conf dir holds network files, but none that can be used; berthd must not guess a network then. */
public final class InvalidNetworkConfigException extends IOException {

    public InvalidNetworkConfigException(String message) {
        super(message);
    }
}
