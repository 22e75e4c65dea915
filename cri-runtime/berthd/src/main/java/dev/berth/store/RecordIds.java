package dev.berth.store;

import java.security.SecureRandom;
import java.util.HexFormat;

/** 64-hex-digit IDs for sandboxes and containers, as containerd and CRI-O make them. */
public final class RecordIds {

    private final SecureRandom random = new SecureRandom();

    public String next() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
