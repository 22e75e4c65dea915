package dev.berth.cli.grpc;

/** One HTTP/2 header field; names and values as HPACK carries them, one byte a char (ISO-8859-1). */
record Header(String name, String value) {

    /** RFC 7541 4.1: an entry's size in the dynamic table. */
    int size() {
        return name.length() + value.length() + 32;
    }
}
