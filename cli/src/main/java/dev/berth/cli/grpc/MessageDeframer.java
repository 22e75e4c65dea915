package dev.berth.cli.grpc;

import io.grpc.Status;
import java.util.Queue;

/**
 * Cuts a response's DATA into gRPC messages (a 5-byte prefix: compressed flag, big-endian length), which may
 * span frames or share one. Flow control counts what the call holds: a complete message waits for the
 * application to take it, while the bytes of the message still arriving are given back at once, or a message
 * larger than the stream window could never complete.
 */
final class MessageDeframer {

    /** A complete message, and how many of its bytes the window gets back once the call consumed it. */
    record Message(byte[] bytes, int heldBytes) {}

    private final int maxMessageBytes;
    private final byte[] prefix = new byte[5];
    private int prefixFill;
    private byte[] body;
    private int bodyFill;

    MessageDeframer(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * Takes a DATA frame's bytes, adding the messages they complete to {@code out}; returns how many bytes belong
     * to the message still incomplete, to give back now. A message gRPC cannot take throws its status.
     */
    int feed(byte[] data, int offset, int length, Queue<Message> out) {
        int end = offset + length;
        int pos = offset;
        int current = 0;
        while (pos < end) {
            if (body == null) {
                int n = Math.min(5 - prefixFill, end - pos);
                System.arraycopy(data, pos, prefix, prefixFill, n);
                prefixFill += n;
                pos += n;
                current += n;
                if (prefixFill < 5) {
                    break;
                }
                startBody();
            } else {
                int n = Math.min(body.length - bodyFill, end - pos);
                System.arraycopy(data, pos, body, bodyFill, n);
                bodyFill += n;
                pos += n;
                current += n;
            }
            if (body != null && bodyFill == body.length) {
                out.add(new Message(body, current));
                current = 0;
                body = null;
                prefixFill = 0;
            }
        }
        return current;
    }

    /** A message as the wire carries it, uncompressed: the inverse of {@link #feed}. */
    static byte[] frame(byte[] body) {
        byte[] framed = new byte[5 + body.length];
        framed[1] = (byte) (body.length >>> 24);
        framed[2] = (byte) (body.length >>> 16);
        framed[3] = (byte) (body.length >>> 8);
        framed[4] = (byte) body.length;
        System.arraycopy(body, 0, framed, 5, body.length);
        return framed;
    }

    /** Whether the stream ended inside a message. */
    boolean isPartial() {
        return prefixFill > 0;
    }

    private void startBody() {
        if (prefix[0] != 0) {
            throw Status.INTERNAL
                    .withDescription("a compressed message (flag " + prefix[0] + "), though the call asked for none")
                    .asRuntimeException();
        }
        long length = ((prefix[1] & 0xffL) << 24)
                | ((prefix[2] & 0xff) << 16)
                | ((prefix[3] & 0xff) << 8)
                | (prefix[4] & 0xff);
        if (length > maxMessageBytes) {
            throw Status.RESOURCE_EXHAUSTED
                    .withDescription("gRPC message exceeds maximum size " + maxMessageBytes + ": " + length)
                    .asRuntimeException();
        }
        body = new byte[(int) length];
        bodyFill = 0;
    }
}
