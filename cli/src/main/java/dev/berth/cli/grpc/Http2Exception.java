package dev.berth.cli.grpc;

/** A violation of HTTP/2 by the peer, with the error code the connection goes away with (RFC 9113 7). */
final class Http2Exception extends Exception {

    static final int PROTOCOL_ERROR = 0x1;
    static final int FLOW_CONTROL_ERROR = 0x3;
    static final int FRAME_SIZE_ERROR = 0x6;
    static final int COMPRESSION_ERROR = 0x9;

    private final int errorCode;

    Http2Exception(int errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
    }

    int errorCode() {
        return errorCode;
    }
}
