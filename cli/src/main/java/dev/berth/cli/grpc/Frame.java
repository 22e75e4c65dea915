package dev.berth.cli.grpc;

/** One HTTP/2 frame as read (RFC 9113 4.1), its payload whole. */
record Frame(int type, int flags, int streamId, byte[] payload) {

    static final int DATA = 0x0;
    static final int HEADERS = 0x1;
    static final int RST_STREAM = 0x3;
    static final int SETTINGS = 0x4;
    static final int PUSH_PROMISE = 0x5;
    static final int PING = 0x6;
    static final int GOAWAY = 0x7;
    static final int WINDOW_UPDATE = 0x8;
    static final int CONTINUATION = 0x9;

    static final int END_STREAM = 0x1;
    static final int ACK = 0x1;
    static final int END_HEADERS = 0x4;
    static final int PADDED = 0x8;
    static final int PRIORITY_FLAG = 0x20;

    static final int SETTINGS_ENABLE_PUSH = 0x2;
    static final int SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
    static final int SETTINGS_MAX_FRAME_SIZE = 0x5;
    static final int SETTINGS_MAX_HEADER_LIST_SIZE = 0x6;

    static final int DEFAULT_WINDOW = 65_535;
    static final int DEFAULT_MAX_FRAME_SIZE = 16_384;
    static final int DEFAULT_HEADER_TABLE_SIZE = 4096;

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    int int32(int offset) {
        return ((payload[offset] & 0xff) << 24)
                | ((payload[offset + 1] & 0xff) << 16)
                | ((payload[offset + 2] & 0xff) << 8)
                | (payload[offset + 3] & 0xff);
    }
}
