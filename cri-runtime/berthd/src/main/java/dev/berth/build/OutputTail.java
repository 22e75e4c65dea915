package dev.berth.build;

import java.nio.charset.StandardCharsets;

/** The last few KiB a RUN printed, for its error message: the lines that say why it failed. */
final class OutputTail {

    private static final int LIMIT = 2048;

    private final byte[] ring = new byte[LIMIT];
    private long written;

    synchronized void add(byte[] data) {
        for (byte b : data) {
            ring[(int) (written++ % LIMIT)] = b;
        }
    }

    synchronized String text() {
        int length = (int) Math.min(written, LIMIT);
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = ring[(int) ((written - length + i) % LIMIT)];
        }
        return new String(out, StandardCharsets.UTF_8).strip();
    }
}
